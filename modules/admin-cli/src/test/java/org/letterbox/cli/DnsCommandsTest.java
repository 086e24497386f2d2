package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestDns;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@code letterbox dns records} prints a snippet a zone-file parser takes whole, and {@code letterbox dns check}
 * reads those records back from a DNS server on loopback, through a running server's admin endpoint.
 */
@Tag("slow")
class DnsCommandsTest {

    @TempDir
    Path dir;
    private Path config;
    private TestDns dns;
    private ServerSocket probeMx;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        dns = TestDns.start();
        probeMx = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.42"));
        Thread greeter = new Thread(() -> {
            while (!probeMx.isClosed()) {
                try (Socket client = probeMx.accept()) {
                    client.getOutputStream().write("220 mx.probe.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.getInputStream().read();
                } catch (Exception e) {
                    // closed
                }
            }
        });
        greeter.setDaemon(true);
        greeter.start();
        dns.mx("probe.test", 10, "mx.probe.test").a("mx.probe.test", "127.0.0.42");
        config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "hostname: mail.example.test\n"
            + "dataDirectory: " + dir.resolve("data") + "\n"
            + "dns: { servers: [\"" + dns.server() + "\"] }\n"
            + "delivery: { mxPort: " + probeMx.getLocalPort() + " }\n"
            + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { port: " + FreePort.next() + " }\n"
            + "  submissions: { port: " + FreePort.next() + " }\n"
            + "imap:\n  imap: { port: " + FreePort.next() + " }\n  imaps: { port: 993, enabled: false }\n"
            + "pop3:\n  pop3: { port: " + FreePort.next() + " }\n  pop3s: { port: " + FreePort.next() + " }\n"
            + "web:\n  https: { port: " + FreePort.next() + " }\n  http: { port: " + FreePort.next() + " }\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        dns.close();
        probeMx.close();
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> full = new ArrayList<>(List.of("-c", config.toString()));
        full.addAll(List.of(args));
        int code = LetterboxCommand.run(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static List<Record> parse(String zone) throws Exception {
        List<Record> records = new ArrayList<>();
        Master master = new Master(new ByteArrayInputStream(("$TTL 3600\n" + zone).getBytes(StandardCharsets.UTF_8)));
        for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
            records.add(record);
        }
        return records;
    }

    private static List<Record> ofType(List<Record> records, int type, String name) {
        return records.stream().filter(r -> r.getType() == type && r.getName().toString().equals(name)).toList();
    }

    @Test
    void theRecordsParseAsAZoneFileAndHoldTheKeysWhole() throws Exception {
        assertThat(run("domain", "add", "example.test").code()).isZero();
        Result printed = run("dns", "records", "example.test", "--address", "192.0.2.7", "--address", "2001:db8::7");
        assertThat(printed.code()).as(printed.err()).isZero();
        List<Record> records = parse(printed.out());

        MXRecord mx = (MXRecord) ofType(records, Type.MX, "example.test.").get(0);
        assertThat(mx.getTarget().toString()).isEqualTo("mail.example.test.");
        assertThat(ofType(records, Type.A, "mail.example.test.")).extracting(Record::rdataToString).containsExactly("192.0.2.7");
        assertThat(ofType(records, Type.AAAA, "mail.example.test.")).extracting(r -> ((org.xbill.DNS.AAAARecord) r).getAddress())
            .containsExactly(InetAddress.getByName("2001:db8::7"));
        assertThat(ofType(records, Type.TXT, "example.test.")).extracting(r -> String.join("", ((TXTRecord) r).getStrings()))
            .containsExactly("v=spf1 mx -all");
        assertThat(ofType(records, Type.TXT, "_dmarc.example.test.")).extracting(r -> String.join("", ((TXTRecord) r).getStrings()))
            .containsExactly("v=DMARC1; p=reject; rua=mailto:postmaster@example.test");

        // each DKIM key as `letterbox dkim list` shows it, in strings of at most 255 characters
        String keys = run("dkim", "list", "example.test").out();
        List<Record> dkim = records.stream().filter(r -> r.getName().toString().contains("._domainkey.")).toList();
        assertThat(dkim).hasSize(2);
        for (Record record : dkim) {
            List<String> strings = ((TXTRecord) record).getStrings();
            assertThat(strings).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
            String text = String.join("", strings);
            assertThat(text).startsWith("v=DKIM1;");
            assertThat(keys).contains(record.getName().toString());
            assertThat(parse(keys.lines().filter(line -> line.startsWith("  ")).map(String::trim)
                .reduce("", (a, b) -> a + b + "\n"))).contains(record);
        }
        assertThat(((TXTRecord) dkim.stream().filter(r -> String.join("", ((TXTRecord) r).getStrings()).contains("k=rsa"))
            .findFirst().orElseThrow()).getStrings()).hasSizeGreaterThan(1);

        // implicit TLS where it is on, "not offered" where it is not (RFC 6186 §3.4)
        SRVRecord submissions = (SRVRecord) ofType(records, Type.SRV, "_submissions._tcp.example.test.").get(0);
        assertThat(submissions.getTarget().toString()).isEqualTo("mail.example.test.");
        SRVRecord submission = (SRVRecord) ofType(records, Type.SRV, "_submission._tcp.example.test.").get(0);
        assertThat(submission.getTarget().toString()).isEqualTo(".");
        assertThat(submission.getPort()).isZero();
        SRVRecord imaps = (SRVRecord) ofType(records, Type.SRV, "_imaps._tcp.example.test.").get(0);
        assertThat(imaps.getTarget().toString()).isEqualTo(".");
        assertThat(((SRVRecord) ofType(records, Type.SRV, "_imap._tcp.example.test.").get(0)).getTarget().toString())
            .isEqualTo("mail.example.test.");
        assertThat(ofType(records, Type.CNAME, "autoconfig.example.test.")).hasSize(1);
        assertThat(ofType(records, Type.CNAME, "mta-sts.example.test.")).hasSize(1);
        assertThat(ofType(records, Type.TXT, "_mta-sts.example.test.")).hasSize(1);
        assertThat(ofType(records, Type.TXT, "_smtp._tls.example.test.")).hasSize(1);
        assertThat(((CAARecord) ofType(records, Type.CAA, "example.test.").get(0)).getValue()).isEqualTo("letsencrypt.org");
        assertThat(printed.out()).contains("; * Reverse DNS: ask your hosting provider to set the PTR record of 192.0.2.7"
            + " to mail.example.test (7.2.0.192.in-addr.arpa. PTR mail.example.test.)");
        assertThat(printed.out()).contains("; * Configuration: smtp.mx listens on 127.0.0.1 only");
    }

    @Test
    void theCheckReadsThePrintedRecordsBackThroughTheRunningServer() throws Exception {
        assertThat(run("domain", "add", "example.test").code()).isZero();
        List<Record> published = parse(run("dns", "records", "example.test", "--address", "127.0.0.41").out());

        try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(config))) {
            Result empty = run("dns", "check", "example.test", "--address", "127.0.0.41", "--probe-domain", "probe.test");
            assertThat(empty.code()).as(empty.err()).isEqualTo(DnsCommands.NEEDS_WORK);
            assertThat(empty.out()).contains("MISSING  MX example.test: example.test does not exist in DNS\n"
                + "         publish:\n"
                + "           example.test.\tIN\tMX\t10 mail.example.test.\n");

            published.forEach(dns::add);
            dns.ptr("127.0.0.41", "mail.example.test");
            Result full = run("dns", "check", "example.test", "--address", "127.0.0.41", "--probe-domain", "probe.test");
            List<String> lines = full.out().lines().filter(line -> !line.startsWith(" ")).toList();
            // everything but the MTA-STS policy, which nothing serves over HTTPS here
            assertThat(lines).filteredOn(line -> !line.startsWith("WRONG    MTA-STS example.test"))
                .allSatisfy(line -> assertThat(line).matches("OK +.*|1 to fix for example.test.*"));
            assertThat(lines).contains("OK       reverse DNS 127.0.0.41: mail.example.test, which leads back to it",
                "OK       SPF example.test: \"v=spf1 mx -all\" lets this server send",
                "OK       outbound port " + probeMx.getLocalPort() + ": mx.probe.test (probe.test's MX) greeted this machine");
            assertThat(full.code()).isEqualTo(DnsCommands.NEEDS_WORK);
        }
    }
}
