package org.letterbox.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnssecMode;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Delivery's set-up checks that DNSSEC validates through the resolvers; here they never answer (a UDP socket on
 * loopback that reads nothing), so the check fails after the DNS timeout. Reported as the resolvers' fault while the
 * server runs; not reported when the server was stopped before the check ended. Either way, stopping logs nothing
 * at INFO or above (the queue's scheduler is stopped without an interrupt inside a store read).
 */
class OutboundDeliverySetupTest {

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("org.letterbox");
    private DatagramSocket silentResolver;
    private MailStore store;

    @BeforeEach
    void setUp() throws Exception {
        silentResolver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        store = StoreFixture.freshStore(Clock.systemUTC());
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void tearDown() throws Exception {
        logger.detachAppender(log);
        store.close();
        silentResolver.close();
    }

    @Test
    void resolversThatCannotValidateAreReportedOnceTheCheckEnds() throws Exception {
        try (OutboundDelivery delivery = OutboundDelivery.start(store, settings(), null, Clock.systemUTC())) {
            assertTrue(delivery.awaitSetup(Duration.ofSeconds(20)), "set-up still running");
        }
        assertEquals(List.of("WARN delivery: DNSSEC does not validate", "INFO delivery: sending queued mail"),
            lines());
    }

    @Test
    void aServerStoppedDuringTheCheckReportsNothingAboutTheResolvers() throws Exception {
        OutboundDelivery delivery = OutboundDelivery.start(store, settings(), null, Clock.systemUTC());
        delivery.close();
        assertTrue(delivery.awaitSetup(Duration.ofSeconds(20)), "set-up still running");
        assertEquals(List.of(), lines());
    }

    private DeliverySettings settings() {
        return DeliverySettings.builder("mail.example.test")
            .dns(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), silentResolver.getLocalPort())),
                Duration.ofMillis(500), DnssecMode.VALIDATE)
            .build();
    }

    /** Level and the start of each message at INFO or above. */
    private List<String> lines() {
        return log.list.stream()
            .filter(event -> event.getLevel().isGreaterOrEqual(Level.INFO))
            .map(event -> event.getLevel() + " " + event.getFormattedMessage())
            .map(line -> line.startsWith("WARN delivery: DNSSEC does not validate")
                ? "WARN delivery: DNSSEC does not validate"
                : line.startsWith("INFO delivery: sending queued mail") ? "INFO delivery: sending queued mail" : line)
            .toList();
    }
}
