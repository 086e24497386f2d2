package org.letterbox.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

import javax.net.ssl.X509TrustManager;

import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.delivery.dsn.Reports;
import org.letterbox.delivery.queue.DeliveryRunner;
import org.letterbox.delivery.queue.RetrySchedule;
import org.letterbox.delivery.route.DestinationDelivery;
import org.letterbox.delivery.route.SelfCheck;
import org.letterbox.delivery.tls.MtaStsFetcher;
import org.letterbox.delivery.tls.TlsContexts;
import org.letterbox.delivery.tls.TlsPolicies;
import org.letterbox.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Resolver;

/**
 * Outbound delivery wired from its settings: DNS, TLS policy, the SMTP client, the queue runner and reports. It is
 * set up on a thread of its own (checking that DNSSEC validates can take a DNS timeout), so that starting it never
 * holds up the server's start.
 */
public final class OutboundDelivery implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(OutboundDelivery.class);

    private final Thread setup;
    private volatile DeliveryRunner runner;
    private volatile boolean closed;

    private OutboundDelivery(MailStore store, DeliverySettings settings, X509TrustManager webPkiTrust, Clock clock) {
        setup = new Thread(() -> {
            DeliveryRunner made = build(store, settings, webPkiTrust, clock, () -> closed);
            synchronized (this) {
                if (closed) {
                    made.close();
                    return;
                }
                runner = made;
                if (settings.enabled()) {
                    made.start();
                }
            }
        }, "letterbox-delivery-setup");
        setup.setDaemon(true);
    }

    /**
     * Starts delivering what {@code store}'s queue holds, and whatever is queued later.
     *
     * @param webPkiTrust the roots WebPKI checks trust (MTA-STS, {@code verify}, a smarthost); null for the JDK's
     */
    public static OutboundDelivery start(MailStore store, DeliverySettings settings, X509TrustManager webPkiTrust,
                                         Clock clock) {
        OutboundDelivery delivery = new OutboundDelivery(store, settings, webPkiTrust, clock);
        delivery.setup.start();
        return delivery;
    }

    /** Builds the runner; {@code closing} tells when the server is stopping, so that what fails then is not reported. */
    private static DeliveryRunner build(MailStore store, DeliverySettings settings, X509TrustManager webPkiTrust,
                                        Clock clock, BooleanSupplier closing) {
        Random random = new Random();
        Resolver plain = Dns.resolver(settings.dnsServers(), settings.dnsTimeout());
        Dns dns = new Dns(plain, settings.dnsTimeout(), random);
        boolean dane = settings.dane();
        switch (settings.dnssec()) {
            case VALIDATE -> {
                Dns validating = validating(plain, settings, random, closing);
                if (validating != null) {
                    dns = validating;
                } else {
                    dane = false;
                }
            }
            case RESOLVER -> {
                // the resolvers' AD flag is trusted as it comes
            }
            case OFF -> dane = false;
        }
        TlsContexts contexts = new TlsContexts(webPkiTrust);
        MtaStsFetcher mtaSts = settings.mtaSts()
            ? new MtaStsFetcher(dns, contexts.webPki(), settings.mtaStsPort(), clock) : null;
        TlsPolicies policies = new TlsPolicies(settings.tlsPolicies(), dns, dane, mtaSts, settings.mxPort());
        DestinationDelivery destinations = new DestinationDelivery(
            new DestinationDelivery.Settings(settings.hostname(), settings.mxPort(), settings.ipPreference(),
                settings.sourceAddresses(), settings.timeouts()),
            dns, policies, contexts, new SelfCheck(settings.selfListeners(), settings.hostname()), settings.smarthost());
        Reports reports = new Reports(store, settings.hostname(), clock);
        DeliveryRunner runner = new DeliveryRunner(store.queue(), destinations, reports,
            new DeliveryRunner.Settings(settings.maxConcurrent(), settings.maxPerDestination(),
                new RetrySchedule(settings.retryDelays(), settings.giveUpAfter(), settings.retryJitterPercent()),
                settings.delayNoticeAfter(), DeliverySettings.CLAIM_LEASE),
            clock, random);
        if (closing.getAsBoolean()) {
            LOGGER.debug("delivery: set up while the server stops; not started");
        } else if (settings.enabled()) {
            LOGGER.info("delivery: sending queued mail{} (DANE {}, MTA-STS {})",
                settings.smarthost().map(relay -> " through " + relay).orElse(" directly"), dane ? "on" : "off",
                settings.mtaSts() ? "on" : "off");
        } else {
            LOGGER.warn("delivery: disabled; outbound mail stays in the queue");
        }
        return runner;
    }

    /**
     * A DNS view that validates with DNSSEC, or null (with a warning) when the resolvers do not allow it. A probe that
     * fails because the server is stopping says nothing about the resolvers, and is not reported as if it did.
     */
    private static Dns validating(Resolver plain, DeliverySettings settings, Random random, BooleanSupplier closing) {
        StringBuilder why = new StringBuilder();
        Optional<Dns> dns = org.letterbox.dns.Dnssec.validating(plain, settings.dnsTimeout(), random, why);
        if (dns.isEmpty() && closing.getAsBoolean()) {
            LOGGER.debug("delivery: DNSSEC probe ended by the server stopping ({})", why);
        } else if (dns.isEmpty()) {
            LOGGER.warn("delivery: DNSSEC does not validate through {} ({}); DANE is off. Use a resolver that passes"
                    + " DNSSEC records on, or set dns.dnssec: off",
                settings.dnsServers().isEmpty() ? "the system's resolvers" : settings.dnsServers(), why);
        }
        return dns.orElse(null);
    }

    /** Waits up to {@code timeout} for the set-up thread to finish; true when it has. */
    boolean awaitSetup(Duration timeout) throws InterruptedException {
        setup.join(Math.max(1, timeout.toMillis()));
        return !setup.isAlive();
    }

    /** Looks at the queue now (after a retry or release by hand). */
    public void wake() {
        DeliveryRunner current = runner;
        if (current != null) {
            current.wake();
        }
    }

    /** Stops starting deliveries, or starts again (see {@link DeliveryRunner#pause}); false when not set up yet. */
    public boolean pause(boolean pause) {
        DeliveryRunner current = runner;
        if (current == null) {
            return false;
        }
        current.pause(pause);
        return true;
    }

    /** True when set up and no delivery is under way. */
    public boolean idle() {
        DeliveryRunner current = runner;
        return current != null && current.idle();
    }

    @Override
    public void close() {
        DeliveryRunner current;
        synchronized (this) {
            closed = true;
            current = runner;
        }
        if (current != null) {
            current.close();
        }
    }
}
