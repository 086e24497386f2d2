package org.letterbox.server.dnssetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.delivery.tls.MtaStsFetcher;
import org.letterbox.delivery.tls.TlsContexts;
import org.letterbox.dns.Dns;
import org.letterbox.mailauth.dkim.DkimKey;
import org.letterbox.mailauth.dkim.KeyPairs;
import org.letterbox.mailauth.spf.SpfChecker;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.server.dnssetup.DnsFinding.Status;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestDns;
import org.letterbox.testing.TestTls;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;

/**
 * The live-DNS check against a DNS server on loopback: first with exactly the records {@link DnsPlanner} prints
 * (read back through a zone-file parser, so the snippet itself is what is published), then with each one broken the
 * way owners break them.
 */
class DnsCheckerTest {

    private static final String DOMAIN = "example.test";
    private static final String HOST = "mail.example.test";
    private static final String ADDRESS = "127.0.0.41";

    private static List<DomainKeys.Info> keys;

    private TestDns dns;
    private HttpsServer https;
    private ServerSocket probeMx;
    private MailHost host;

    @BeforeEach
    void setUp() throws Exception {
        synchronized (DnsCheckerTest.class) {
            if (keys == null) {
                List<DkimKey> made = KeyPairs.generate(DOMAIN, LocalDate.of(2026, 12, 5), Set.of());
                keys = made.stream().map(key -> new DomainKeys.Info(DOMAIN, key.selector(), key.algorithm().tag(), "active",
                    "2026-12-05T00:00:00Z", key.dnsName(), key.dnsRecord())).toList();
            }
        }
        dns = TestDns.start();
        host = new MailHost(HOST, List.of(InetAddress.getByName(ADDRESS)),
            List.of(new MailHost.Service("_imaps", 993), new MailHost.Service("_imap", 0)), List.of(), "enforce");
    }

    @AfterEach
    void tearDown() throws Exception {
        dns.close();
        if (https != null) {
            https.stop(0);
        }
        if (probeMx != null) {
            probeMx.close();
        }
    }

    /** Publishes what the plan says, parsed from its zone lines as a name server would load them. */
    private void publishPlan() throws Exception {
        StringBuilder zone = new StringBuilder("$TTL 300\n");
        DnsPlanner.plan(host, DOMAIN, keys).records().forEach(record -> zone.append(record.zoneLine()).append('\n'));
        Master master = new Master(new ByteArrayInputStream(zone.toString().getBytes(StandardCharsets.US_ASCII)));
        for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
            dns.add(record);
        }
        dns.ptr(ADDRESS, HOST);
    }

    /** Serves {@code policy} at https://mta-sts.example.test/.well-known/mta-sts.txt on 127.0.0.41, a test CA's certificate. */
    private int servePolicy(String policy) throws Exception {
        int port = FreePort.next();
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(ADDRESS), port), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(TestTls.identity("mta-sts." + DOMAIN).server()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            byte[] body = policy.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        https.start();
        return port;
    }

    /** An MX for probe.test on 127.0.0.42 that greets with {@code greeting}. */
    private int probeMx(String greeting) throws Exception {
        probeMx = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.42"));
        Thread accept = new Thread(() -> {
            while (!probeMx.isClosed()) {
                try (Socket client = probeMx.accept()) {
                    client.getOutputStream().write(greeting.getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    client.getInputStream().read();
                } catch (Exception e) {
                    // closed
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        dns.mx("probe.test", 10, "mx.probe.test").a("mx.probe.test", "127.0.0.42");
        return probeMx.getLocalPort();
    }

    private DnsReport check(int policyPort, int probePort) {
        Dns resolver = new Dns(Dns.resolver(List.of(Dns.server(dns.server())), Duration.ofSeconds(2)), Duration.ofSeconds(2),
            new Random(1));
        MtaStsFetcher mtaSts = new MtaStsFetcher(resolver, new TlsContexts(TestTls.trusting(
            TestTls.identity("mta-sts." + DOMAIN).certificate())).webPki(), policyPort, Clock.systemUTC());
        DnsChecker checker = new DnsChecker(resolver,
            new SpfChecker(resolver, HOST, Duration.ofSeconds(2)),
            Optional.of(mtaSts), Optional.of(new OutboundPort25("probe.test", probePort, Duration.ofSeconds(3))), Optional.empty());
        return checker.check(host, DOMAIN, keys);
    }

    private static Map<String, DnsFinding> byCheck(DnsReport report) {
        return report.findings().stream().collect(Collectors.toMap(DnsFinding::check, Function.identity()));
    }

    private static String dkimCheck(DomainKeys.Info key) {
        return "DKIM " + key.selector() + " (" + key.algorithm() + ", active)";
    }

    @Test
    void thePrintedRecordsPassEveryCheck() throws Exception {
        publishPlan();
        DnsReport report = check(servePolicy(org.letterbox.web.MtaStsPolicyFile.enforcing(HOST).text()), probeMx("220 mx.probe.test ESMTP\r\n"));

        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.status()).as(finding.toString()).isEqualTo(Status.OK));
        assertThat(report.allOk()).isTrue();
        assertThat(report.findings()).extracting(DnsFinding::check).containsExactly(
            "MX example.test", "A/AAAA mail.example.test", "reverse DNS 127.0.0.41", "SPF example.test",
            "SPF mail.example.test", dkimCheck(keys.get(0)), dkimCheck(keys.get(1)), "DMARC example.test",
            "MTA-STS example.test", "TLS-RPT example.test", "outbound port " + probeMx.getLocalPort());
    }

    @Test
    void nothingPublishedIsReportedMissingWithTheRecordsThatFixIt() throws Exception {
        dns.a("example.test", "127.0.0.99");
        DnsReport report = check(FreePort.next(), probeMx("220 ok\r\n"));
        Map<String, DnsFinding> found = byCheck(report);

        assertThat(report.allOk()).isFalse();
        assertThat(found.get("MX example.test").status()).isEqualTo(Status.MISSING);
        assertThat(found.get("MX example.test").fix()).isEqualTo("publish:\n  example.test.\tIN\tMX\t10 mail.example.test.");
        assertThat(found.get("A/AAAA mail.example.test").status()).isEqualTo(Status.MISSING);
        assertThat(found.get("A/AAAA mail.example.test").fix()).isEqualTo("publish:\n  mail.example.test.\tIN\tA\t127.0.0.41");
        assertThat(found.get("reverse DNS 127.0.0.41").status()).isEqualTo(Status.MISSING);
        assertThat(found.get("SPF example.test").status()).isEqualTo(Status.MISSING);
        assertThat(found.get(dkimCheck(keys.get(0))).status()).isEqualTo(Status.MISSING);
        assertThat(found.get(dkimCheck(keys.get(0))).fix()).contains(keys.get(0).dnsName() + ".\tIN\tTXT\t\"v=DKIM1;");
        assertThat(found.get("DMARC example.test").status()).isEqualTo(Status.MISSING);
        assertThat(found.get("MTA-STS example.test").status()).isEqualTo(Status.MISSING);
        assertThat(found.get("TLS-RPT example.test").status()).isEqualTo(Status.MISSING);
    }

    @Test
    void wrongRecordsAreReportedWrong() throws Exception {
        DomainKeys.Info rsa = keys.stream().filter(key -> key.algorithm().startsWith("rsa")).findFirst().orElseThrow();
        DomainKeys.Info ed25519 = keys.stream().filter(key -> key.algorithm().startsWith("ed25519")).findFirst().orElseThrow();
        dns.mx(DOMAIN, 10, "mx.elsewhere.test")
            .a(HOST, "127.0.0.77")
            .ptr(ADDRESS, "host-127-0-0-41.provider.test")
            .txt(DOMAIN, "v=spf1 ip4:127.0.0.77 -all")
            .txt(HOST, "v=spf1 a -all").txt(HOST, "v=spf1 mx -all")
            // a web form that kept only the first 255-character string of the RSA key
            .txt(rsa.dnsName(), rsa.record().substring(0, 255))
            .txt(ed25519.dnsName(), "v=DKIM1; k=ed25519; p=" + "A".repeat(43) + "=")
            .txt("_dmarc." + DOMAIN, "v=DMARC1; p=none").txt("_dmarc." + DOMAIN, "v=DMARC1; p=reject")
            .txt("_mta-sts." + DOMAIN, "v=STSv1; id=1").a("mta-sts." + DOMAIN, ADDRESS)
            .txt("_smtp._tls." + DOMAIN, "v=TLSRPTv1");
        int policyPort = servePolicy("version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.test\r\nmax_age: 86400\r\n");
        DnsReport report = check(policyPort, probeMx("554 no service\r\n"));
        Map<String, DnsFinding> found = byCheck(report);

        assertThat(found.get("MX example.test")).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).isEqualTo("points at mx.elsewhere.test, not at mail.example.test");
        });
        assertThat(found.get("A/AAAA mail.example.test").status()).isEqualTo(Status.WRONG);
        assertThat(found.get("reverse DNS 127.0.0.41")).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).isEqualTo("names host-127-0-0-41.provider.test, not mail.example.test");
        });
        assertThat(found.get("SPF example.test")).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).isEqualTo("\"v=spf1 ip4:127.0.0.77 -all\": 127.0.0.41 gets fail");
        });
        assertThat(found.get("SPF mail.example.test").detail()).startsWith("2 SPF records");
        assertThat(found.get(dkimCheck(rsa))).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).contains("holds only the first").contains("cut off where a web form split it?");
        });
        assertThat(found.get(dkimCheck(ed25519)).detail()).endsWith("holds a different key");
        assertThat(found.get("DMARC example.test").detail()).startsWith("2 DMARC records");
        assertThat(found.get("MTA-STS example.test")).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).contains("does not name mail.example.test");
        });
        assertThat(found.get("TLS-RPT example.test").status()).isEqualTo(Status.WRONG);
        assertThat(found.get("outbound port " + probeMx.getLocalPort())).satisfies(f -> {
            assertThat(f.status()).isEqualTo(Status.WRONG);
            assertThat(f.detail()).isEqualTo("mx.probe.test answered '554' instead of a 220 greeting");
        });
        assertThat(report.findings()).noneMatch(f -> f.status() == Status.OK);
    }

    @Test
    void aClosedPort25IsReportedWithTheSmarthostAsTheWayOut() throws Exception {
        dns.mx("probe.test", 10, "mx.probe.test").a("mx.probe.test", "127.0.0.42");
        DnsReport report = check(FreePort.next(), FreePort.next());
        DnsFinding port25 = report.findings().get(report.findings().size() - 1);

        assertThat(port25.status()).isEqualTo(Status.WRONG);
        assertThat(port25.detail()).contains("cannot reach mx.probe.test").endsWith("seems blocked");
        assertThat(port25.fix()).contains("delivery.smarthost");
    }
}
