package org.letterbox.delivery;

import org.letterbox.testing.FakeSmtpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.delivery.DeliveryHarness.ALICE;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.delivery.route.Smarthost;
import org.letterbox.delivery.tls.TlsOverride;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestTls;
import org.xbill.DNS.DClass;
import org.xbill.DNS.TLSARecord;

/**
 * Which TLS each destination gets, against scripted receiving servers: opportunistic by default (plain text when the
 * upgrade fails), configured policies, MTA-STS in enforce and testing mode (policies served over real HTTPS), DANE
 * from TLSA records a DNSSEC-validating resolver vouches for, and a smarthost with AUTH.
 */
class TlsPolicyDeliveryTest {

    private static final String MESSAGE = "From: alice@example.test\r\nSubject: tls\r\n\r\nsecret\r\n";

    private DeliveryHarness harness;
    private HttpsServer https;

    @BeforeEach
    void setUp() throws Exception {
        harness = new DeliveryHarness();
    }

    @AfterEach
    void tearDown() {
        if (https != null) {
            https.stop(0);
        }
        harness.close();
    }

    private FakeSmtpServer mx() throws Exception {
        return harness.mx("remote.test", 10, "mx.remote.test", "127.0.0.2");
    }

    private void sendAndWait() throws Exception {
        harness.send(ALICE, MESSAGE, "bob@remote.test");
        harness.await(() -> harness.queue().stream().allMatch(entry -> entry.attempts() >= 1));
    }

    private String lastError() {
        return harness.queue().get(0).lastError().orElseThrow();
    }

    @Test
    void opportunisticTlsThatFailsFallsBackToPlainText() throws Exception {
        FakeSmtpServer mx = mx().brokenTls();
        harness.start(s -> s);
        sendAndWait();
        assertThat(harness.queue()).isEmpty();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isFalse());
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void aServerWithoutStartTlsGetsPlainTextByDefault() throws Exception {
        FakeSmtpServer mx = mx().tls(null);
        harness.start(s -> s);
        sendAndWait();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isFalse());
    }

    @Test
    void requireTlsDefersMailToAServerWithoutStartTls() throws Exception {
        FakeSmtpServer mx = mx().tls(null);
        harness.start(s -> s.tlsPolicies(Map.of("remote.test", TlsOverride.REQUIRE_TLS)));
        sendAndWait();
        assertThat(lastError()).contains("offers no STARTTLS, which its configuration policy requires");
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void noneNeverStartsTls() throws Exception {
        FakeSmtpServer mx = mx();
        harness.start(s -> s.tlsPolicies(Map.of("remote.test", TlsOverride.NONE)));
        sendAndWait();
        assertThat(mx.commands()).doesNotContain("STARTTLS");
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isFalse());
    }

    @Test
    void verifyTakesACertificateForTheMxName() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.identity("mx.remote.test").server());
        harness.start(s -> s.tlsPolicies(Map.of("remote.test", TlsOverride.VERIFY)));
        sendAndWait();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
    }

    @Test
    void verifyRefusesACertificateForAnotherName() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.identity("someone-else.test").server());
        harness.start(s -> s.tlsPolicies(Map.of("remote.test", TlsOverride.VERIFY)));
        sendAndWait();
        assertThat(lastError()).contains("TLS failed (configuration policy)");
        assertThat(mx.received()).isEmpty();
    }

    private void mtaSts(String policy) throws Exception {
        int port = FreePort.next();
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.6"), port), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(TestTls.identity("mta-sts.remote.test").server()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            byte[] body = policy.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        harness.dns.txt("_mta-sts.remote.test", "v=STSv1; id=20261205T000000").a("mta-sts.remote.test", "127.0.0.6");
        harness.start(s -> s.mtaStsPort(port));
    }

    @Test
    void mtaStsEnforceRequiresAValidCertificate() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.serverContext());
        mtaSts("version: STSv1\nmode: enforce\nmx: mx.remote.test\nmax_age: 86400\n");
        sendAndWait();
        assertThat(lastError()).contains("TLS failed (mta-sts policy)");
        assertThat(mx.received()).isEmpty();

        mx.tls(TestTls.identity("mx.remote.test").server());
        harness.store.queue().retryNow(Optional.empty());
        harness.await(() -> harness.queue().isEmpty());
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
    }

    @Test
    void mtaStsEnforceRefusesAnMxThePolicyDoesNotList() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.identity("mx.remote.test").server());
        mtaSts("version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n");
        sendAndWait();
        assertThat(lastError()).contains("mx.remote.test is not in the MTA-STS policy of remote.test");
        assertThat(mx.connections()).isZero();
    }

    @Test
    void mtaStsTestingOnlyReportsAndDelivers() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.serverContext());
        mtaSts("version: STSv1\nmode: testing\nmx: mx.remote.test\nmax_age: 86400\n");
        sendAndWait();
        assertThat(harness.queue()).isEmpty();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
    }

    private TLSARecord tlsa(byte[] spkiSha256) {
        return new TLSARecord(org.letterbox.testing.TestDns.name("_" + harness.mxPort + "._tcp.mx.remote.test"), DClass.IN,
            60, TLSARecord.CertificateUsage.DOMAIN_ISSUED_CERTIFICATE, TLSARecord.Selector.SUBJECT_PUBLIC_KEY_INFO,
            TLSARecord.MatchingType.SHA256, spkiSha256);
    }

    @Test
    void daneTakesTheCertificateItsTlsaRecordNamesWhateverItsIssuer() throws Exception {
        // a self-signed certificate no root vouches for, pinned by DNSSEC-signed TLSA: DANE-EE (usage 3)
        TestTls.Identity self = TestTls.identity("pinned.remote.test");
        FakeSmtpServer mx = mx().tls(self.server());
        byte[] pin = MessageDigest.getInstance("SHA-256").digest(self.certificate().getPublicKey().getEncoded());
        harness.dns.secure("remote.test").add(tlsa(pin));
        harness.start(s -> s);
        sendAndWait();
        assertThat(harness.queue()).isEmpty();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
    }

    @Test
    void daneRefusesACertificateNoTlsaRecordMatches() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.identity("mx.remote.test").server());
        harness.dns.secure("remote.test").add(tlsa(new byte[32]));
        harness.start(s -> s);
        sendAndWait();
        assertThat(lastError()).contains("TLS failed (dane policy)");
        assertThat(mx.received()).isEmpty();
    }

    private TLSARecord trustAnchor(java.security.cert.X509Certificate authority) throws Exception {
        return new TLSARecord(org.letterbox.testing.TestDns.name("_" + harness.mxPort + "._tcp.mx.remote.test"), DClass.IN,
            60, TLSARecord.CertificateUsage.TRUST_ANCHOR_ASSERTION, TLSARecord.Selector.FULL_CERTIFICATE,
            TLSARecord.MatchingType.SHA256, MessageDigest.getInstance("SHA-256").digest(authority.getEncoded()));
    }

    @Test
    void daneTrustAnchorVouchesForACertificateItIssuedForTheMxName() throws Exception {
        // DANE-TA (usage 2): a private authority named in DNS, whose certificate the server sends with its own
        TestTls.Issued issued = TestTls.issued("Remote Test CA", "mx.remote.test");
        FakeSmtpServer mx = mx().tls(issued.server());
        harness.dns.secure("remote.test").add(trustAnchor(issued.authority()));
        harness.start(s -> s);
        sendAndWait();
        assertThat(harness.queue()).isEmpty();
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
    }

    @Test
    void daneTrustAnchorRefusesACertificateItIssuedForAnotherName() throws Exception {
        TestTls.Issued issued = TestTls.issued("Other Test CA", "other.remote.test");
        FakeSmtpServer mx = mx().tls(issued.server());
        harness.dns.secure("remote.test").add(trustAnchor(issued.authority()));
        harness.start(s -> s);
        sendAndWait();
        assertThat(lastError()).contains("TLS failed (dane policy)");
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void tlsaRecordsWithoutDnssecAreIgnored() throws Exception {
        FakeSmtpServer mx = mx().tls(TestTls.identity("mx.remote.test").server());
        harness.dns.add(tlsa(new byte[32]));
        harness.start(s -> s);
        sendAndWait();
        assertThat(harness.queue()).isEmpty();
        assertThat(mx.received()).hasSize(1);
    }

    @Test
    void aSmarthostTakesEverythingAfterStartTlsAndLogin() throws Exception {
        FakeSmtpServer mx = mx();
        harness.dns.a("relay.test", "127.0.0.7");
        FakeSmtpServer relay = FakeSmtpServer.start("127.0.0.7", FreePort.next())
            .extensions("PIPELINING", "8BITMIME", "AUTH PLAIN LOGIN");
        try (relay) {
            harness.start(s -> s.smarthost(Optional.of(new Smarthost("relay.test", relay.port(), false,
                Optional.of("alice@provider.test"), Optional.of("s3cret"), Set.of(), 0, false))));
            sendAndWait();
            assertThat(harness.queue()).isEmpty();
            assertThat(mx.connections()).isZero();
            assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
            String token = Base64.getEncoder().encodeToString("\0alice@provider.test\0s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(relay.commands()).containsSubsequence("STARTTLS", "EHLO mail.example.test", "AUTH PLAIN " + token,
                "MAIL FROM:<alice@example.test>");
        }
    }

    @Test
    void aSmarthostWithImplicitTlsAndAuthLogin() throws Exception {
        FakeSmtpServer mx = mx();
        harness.dns.a("relay.test", "127.0.0.7");
        FakeSmtpServer relay = FakeSmtpServer.start("127.0.0.7", FreePort.next())
            .tls(TestTls.identity("relay.test").server()).implicitTls().authLogin()
            .extensions("PIPELINING", "AUTH LOGIN");
        try (relay) {
            harness.start(s -> s.smarthost(Optional.of(new Smarthost("relay.test", relay.port(), true,
                Optional.of("alice"), Optional.of("pässword"), Set.of("remote.test"), 0, true))));
            sendAndWait();
            assertThat(harness.queue()).isEmpty();
            assertThat(mx.connections()).isZero();
            assertThat(relay.commands()).doesNotContain("STARTTLS").contains("LOGIN alice pässword");
            assertThat(relay.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        }
    }

    @Test
    void aSmarthostAfterFailuresIsUsedOnlyOnceDirectDeliveryFailed() throws Exception {
        FakeSmtpServer mx = mx();
        mx.replies(line -> line.startsWith("RCPT") ? "451 4.7.1 greylisted" : null);
        harness.dns.a("relay.test", "127.0.0.7");
        FakeSmtpServer relay = FakeSmtpServer.start("127.0.0.7", FreePort.next());
        try (relay) {
            harness.start(s -> s.smarthost(Optional.of(new Smarthost("relay.test", relay.port(), false, Optional.empty(),
                Optional.empty(), Set.of(), 1, false))));
            sendAndWait();
            assertThat(lastError()).contains("451 4.7.1 greylisted");
            assertThat(relay.connections()).isZero();
            harness.store.queue().retryNow(Optional.empty());
            harness.await(() -> harness.queue().isEmpty());
            assertThat(relay.received()).hasSize(1);
        }
    }
}
