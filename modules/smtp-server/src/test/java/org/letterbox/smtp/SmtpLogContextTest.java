package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * The logging context James gives a connection, seen in James's own "Connection established" line: the protocol and
 * the client's address, and no host name, which James would find with a reverse DNS lookup on the event loop as the
 * connection opens.
 */
class SmtpLogContextTest {

    /** The context of each event, read as it is logged (logback reads it lazily, on the reading thread). */
    private final List<Map<String, String>> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getMessage().startsWith("Connection established")) {
                contexts.add(Map.copyOf(event.getMDCPropertyMap()));
            }
        }
    };
    private final Logger james = (Logger) LoggerFactory.getLogger(BasicChannelInboundHandler.class);
    private Level jamesLevel;
    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
        log.start();
        jamesLevel = james.getLevel();
        james.setLevel(Level.INFO);
        james.addAppender(log);
    }

    @AfterEach
    void tearDown() {
        james.detachAppender(log);
        james.setLevel(jamesLevel);
        fixture.close();
    }

    @Test
    void aConnectionIsLoggedWithTheClientsAddressAndNoLookedUpName() throws Exception {
        int port = fixture.startMx();
        try (LineClient client = LineClient.connect(port)) {
            assertThat(client.readReply()).startsWith("220 ");
            assertThat(client.command("EHLO remote.test")).startsWith("250");
            assertThat(client.command("MAIL FROM:<a@remote.test>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(client.command("DATA")).startsWith("354 ");
            client.sendRaw("Subject: context\r\n\r\nbody\r\n.\r\n");
            assertThat(client.readReply()).startsWith("250 ");
        }
        assertThat(contexts).singleElement().satisfies(context -> {
            assertThat(context).containsEntry("protocol", "SMTP").containsEntry("ip", "127.0.0.1");
            assertThat(context).doesNotContainKey("host");
        });
    }
}
