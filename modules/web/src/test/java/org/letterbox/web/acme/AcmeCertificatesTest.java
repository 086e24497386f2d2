package org.letterbox.web.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.testing.Pebble;
import org.letterbox.testing.TestDns;
import org.letterbox.testing.TestTls;
import org.letterbox.web.AcmeChallenges;
import org.letterbox.web.ClientSettings;
import org.letterbox.web.WebServer;
import org.letterbox.web.WebSettings;

/**
 * Certificates from Pebble, Let's Encrypt's test CA, with its http-01 checks answered by the web listener on
 * loopback: obtained, kept while valid, renewed before expiry and when a name is added, and a failed renewal
 * leaves the files in place. Skipped where Debian's {@code pebble} is not installed.
 */
@Tag("slow")
class AcmeCertificatesTest {

    @TempDir
    Path dir;
    private TestDns dns;
    private WebServer web;
    private Pebble pebble;
    private final AcmeChallenges challenges = new AcmeChallenges();
    private final AtomicInteger installs = new AtomicInteger();
    private AcmeSettings.Challenge challenge = AcmeSettings.Challenge.HTTP_01;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Pebble.available(), "Pebble (Debian package pebble) is not installed");
        dns = TestDns.start();
        for (String name : List.of("mail.example.test", "autoconfig.example.test", "mta-sts.example.test")) {
            dns.a(name, "127.0.0.1");
        }
        web = WebServer.start(WebSettings.defaults("127.0.0.1", 0, 0), new ClientSettings("mail.example.test", List.of()),
            Set.of("example.test")::contains, challenges, TestTls.serverContext());
        pebble = Pebble.start(dir.resolve("pebble"), dns.server(), web.httpPort(), web.httpsPort());
    }

    @AfterEach
    void tearDown() {
        if (pebble != null) {
            pebble.close();
        }
        if (web != null) {
            web.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private AcmeCertificates certificates(List<String> names) {
        AcmeSettings settings = new AcmeSettings(URI.create(pebble.directory()), Optional.of("postmaster@example.test"),
            Optional.of(pebble.listenerCertificate()), dir.resolve("acme"), AcmeSettings.DEFAULT_RENEW_BEFORE,
            AcmeSettings.DEFAULT_RETRY_AFTER, AcmeSettings.DEFAULT_CHECK_EVERY, challenge);
        return new AcmeCertificates(settings, () -> names, challenges, installs::incrementAndGet, clock);
    }

    private static List<String> names(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(entry -> String.valueOf(entry.get(1))).toList();
    }

    private X509Certificate current() throws Exception {
        return Pem.readChain(dir.resolve("acme/fullchain.pem")).get(0);
    }

    @Test
    void aCertificateIsObtainedKeptRenewedBeforeExpiryAndWhenANameIsAdded() throws Exception {
        List<String> names = List.of("mail.example.test", "autoconfig.example.test");
        try (AcmeCertificates acme = certificates(names)) {
            assertThat(acme.check()).as(pebble.log()).isEqualTo(AcmeCertificates.Outcome.OBTAINED);
        }
        X509Certificate first = current();
        assertThat(names(first)).containsExactlyInAnyOrder("mail.example.test", "autoconfig.example.test");
        assertThat(first.getIssuerX500Principal().getName()).contains("Pebble");
        assertThat(Pem.readChain(dir.resolve("acme/fullchain.pem"))).hasSizeGreaterThan(1);
        for (String file : List.of("fullchain.pem", "privkey.pem", "account.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme").resolve(file))))
                .as(file).isEqualTo("rw-------");
        }
        assertThat(installs.get()).isEqualTo(1);

        try (AcmeCertificates acme = certificates(names)) {
            assertThat(acme.check()).isEqualTo(AcmeCertificates.Outcome.NOT_NEEDED);
            // 31 days before it expires: due
            now.set(first.getNotAfter().toInstant().minus(Duration.ofDays(29)));
            assertThat(acme.check()).as(pebble.log()).isEqualTo(AcmeCertificates.Outcome.OBTAINED);
        }
        X509Certificate renewed = current();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        now.set(Instant.now());

        try (AcmeCertificates acme = certificates(List.of("mail.example.test", "autoconfig.example.test", "mta-sts.example.test"))) {
            assertThat(acme.check()).as(pebble.log()).isEqualTo(AcmeCertificates.Outcome.OBTAINED);
        }
        assertThat(names(current())).contains("mta-sts.example.test");
        assertThat(installs.get()).isEqualTo(3);
    }

    @Test
    void theTlsAlpnChallengeIsAnsweredOnTheHttpsListener() throws Exception {
        challenge = AcmeSettings.Challenge.TLS_ALPN_01;
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger tls = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.letterbox.web.ChallengeAwareTls");
        tls.addAppender(log);
        try (AcmeCertificates acme = certificates(List.of("mail.example.test", "autoconfig.example.test"))) {
            assertThat(acme.check()).as(pebble.log()).isEqualTo(AcmeCertificates.Outcome.OBTAINED);
        }
        tls.detachAppender(log);
        assertThat(names(current())).containsExactlyInAnyOrder("mail.example.test", "autoconfig.example.test");
        // the CA's checks were answered by the HTTPS listener with the acme-tls/1 validation certificates
        assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
            .anyMatch(line -> line.startsWith("web: acme-tls/1 validation certificate for mail.example.test shown to"))
            .anyMatch(line -> line.startsWith("web: acme-tls/1 validation certificate for autoconfig.example.test shown to"));
    }

    @Test
    void aFailedRenewalKeepsTheCertificateInUse() throws Exception {
        List<String> names = List.of("mail.example.test");
        try (AcmeCertificates acme = certificates(names)) {
            assertThat(acme.check()).as(pebble.log()).isEqualTo(AcmeCertificates.Outcome.OBTAINED);
        }
        byte[] chain = Files.readAllBytes(dir.resolve("acme/fullchain.pem"));
        byte[] key = Files.readAllBytes(dir.resolve("acme/privkey.pem"));
        now.set(current().getNotAfter().toInstant().minus(Duration.ofDays(1)));

        // the challenge cannot be answered: the name no longer leads to this host
        dns.remove("mail.example.test");
        dns.a("mail.example.test", "127.0.0.99");
        try (AcmeCertificates acme = certificates(names)) {
            assertThat(acme.check()).isEqualTo(AcmeCertificates.Outcome.FAILED);
        }
        assertThat(Files.readAllBytes(dir.resolve("acme/fullchain.pem"))).isEqualTo(chain);
        assertThat(Files.readAllBytes(dir.resolve("acme/privkey.pem"))).isEqualTo(key);
        assertThat(installs.get()).isEqualTo(1);

        // and the CA gone altogether
        pebble.close();
        try (AcmeCertificates acme = certificates(names)) {
            assertThat(acme.check()).isEqualTo(AcmeCertificates.Outcome.FAILED);
        }
        assertThat(Files.readAllBytes(dir.resolve("acme/fullchain.pem"))).isEqualTo(chain);
    }
}
