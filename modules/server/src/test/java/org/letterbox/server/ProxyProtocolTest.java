package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestDns;
import org.letterbox.testing.TestTls;

/**
 * HAProxy's PROXY protocol on every listener, with headers written byte by byte as a balancer sends them. The
 * balancer is 127.0.0.1 only; clients that connect from 127.0.0.2 are direct. No network is trusted, so the per-IP
 * caps apply to the clients the headers name.
 */
class ProxyProtocolTest {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @TempDir
    static Path dir;

    private static LetterboxServer server;
    private static TestDns dns;
    private static int mx;
    private static int imap;
    private static int imaps;
    private static int pop3;
    private static int https;

    @BeforeAll
    static void start() throws Exception {
        mx = FreePort.next();
        imap = FreePort.next();
        imaps = FreePort.next();
        pop3 = FreePort.next();
        https = FreePort.next();
        // an empty zone: the MX's SPF and DMARC lookups for remote.test get local NXDOMAINs
        dns = TestDns.start();
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, "dataDirectory: " + dir.resolve("data") + "\n"
            + "hostname: mail.example.test\n"
            + "trustedNetworks: []\n"
            + "proxyProtocol: { from: [\"127.0.0.1/32\"], headerTimeoutSeconds: 1 }\n"
            + "smtp:\n  mx: { address: 0.0.0.0, port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { address: 0.0.0.0, port: " + imap + " }\n  imaps: { address: 0.0.0.0, port: " + imaps + " }\n"
            + "  maxConnectionsPerIp: 2\n"
            + "pop3:\n  pop3: { address: 0.0.0.0, port: " + pop3 + " }\n  pop3s: { enabled: false }\n"
            + "admin: { enabled: false }\n"
            + "web: { https: { address: 0.0.0.0, port: " + https + " }, http: { enabled: false } }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n");
        server = LetterboxServer.start(new ConfigLoader().load(file));
        server.store().accounts().addDomain("example.test");
        server.store().createUser("alice@example.test", "alice-pw");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        dns.close();
    }

    private static byte[] v1(String client, int port) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 " + port + " 25\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A version 2 header: PROXY (or LOCAL) for a TCP client over IPv4 or IPv6, with a TLV after the addresses. */
    private static byte[] v2(boolean local, String client, int port) throws Exception {
        byte[] source = InetAddress.getByName(client).getAddress();
        byte[] destination = new byte[source.length];
        destination[destination.length - 1] = 1;
        byte[] tlv = {0x01, 0x00, 0x04, 'i', 'm', 'a', 'p'}; // PP2_TYPE_ALPN, which the server ignores
        ByteBuffer addresses = ByteBuffer.allocate(2 * source.length + 4 + tlv.length);
        addresses.put(source).put(destination).putShort((short) port).putShort((short) 993).put(tlv);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(V2_SIGNATURE);
        header.write(local ? 0x20 : 0x21);
        header.write(source.length == 4 ? 0x11 : 0x21);
        header.write(addresses.capacity() >> 8);
        header.write(addresses.capacity() & 0xff);
        header.write(addresses.array());
        return header.toByteArray();
    }

    private static LineClient viaBalancer(int port, byte[] header) throws Exception {
        return LineClient.connectFrom("127.0.0.1", "127.0.0.1", port).sendBytes(header);
    }

    @Test
    void smtpGreetsAndStampsTheClientAVersion1HeaderNames() throws Exception {
        try (LineClient client = viaBalancer(mx, v1("203.0.113.7", 40_000))) {
            assertThat(client.readReply()).startsWith("220 mail.example.test ");
            assertThat(client.command("EHLO remote.test")).startsWith("250 ");
            client.send("EHLO again.test");
            assertThat(client.readFullReply()).startsWith("250-mail.example.test Hello again.test [203.0.113.7]\n");
            assertThat(client.command("MAIL FROM:<someone@remote.test>")).startsWith("250 ");
            assertThat(client.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            assertThat(client.command("DATA")).startsWith("354 ");
            client.send("Subject: through the balancer").send("").send("hi").send(".");
            assertThat(client.readReply()).startsWith("250 ");
            assertThat(client.command("QUIT")).startsWith("221 ");
        }
        try (LineClient reader = LineClient.connectFrom("127.0.0.2", "127.0.0.1", imaps)) {
            reader.startTls(TestTls.acceptingAnyCertificate());
            assertThat(reader.readLine()).startsWith("* OK ");
            reader.send("a1 LOGIN alice@example.test alice-pw");
            assertThat(reader.readTagged("a1")).startsWith("a1 OK ");
            reader.send("a2 SELECT INBOX");
            assertThat(reader.readTagged("a2")).startsWith("a2 OK ");
            reader.send("a3 FETCH 1 BODY.PEEK[HEADER.FIELDS (RECEIVED)]");
            StringBuilder fetched = new StringBuilder();
            for (String line = reader.readLine(); !line.startsWith("a3 "); line = reader.readLine()) {
                fetched.append(line).append('\n');
            }
            assertThat(fetched.toString()).contains("Received: from again.test ([203.0.113.7])");
        }
    }

    @Test
    void imapsReadsAVersion2HeaderBeforeTls() throws Exception {
        try (LineClient client = viaBalancer(imaps, v2(false, "2001:db8::77", 50_000))) {
            client.startTls(TestTls.acceptingAnyCertificate());
            assertThat(client.readLine()).startsWith("* OK ");
            client.send("a1 LOGIN alice@example.test alice-pw");
            assertThat(client.readTagged("a1")).startsWith("a1 OK ");
            client.send("a2 LOGOUT");
            assertThat(client.readTagged("a2")).startsWith("a2 OK ");
        }
    }

    @Test
    void imapCapsConnectionsPerClientTheHeadersName() throws Exception {
        // one after the other, each greeted before the next opens: the order in which they reach the server
        try (LineClient first = greeted(imap, v2(false, "198.51.100.9", 50_001), "* OK ");
             LineClient second = greeted(imap, v2(false, "198.51.100.9", 50_002), "* OK ");
             LineClient third = greeted(imap, v2(false, "198.51.100.9", 50_003), "* BYE Too many connections, try again later");
             LineClient other = greeted(imap, v2(false, "198.51.100.10", 50_004), "* OK ")) {
            assertThat(java.util.List.of(first, second, third, other)).hasSize(4);
        }
    }

    private static LineClient greeted(int port, byte[] header, String firstLine) throws Exception {
        LineClient client = viaBalancer(port, header);
        assertThat(client.readLine()).startsWith(firstLine);
        return client;
    }

    @Test
    void aClientBehindABalancerOnTheSameHostIsNotOnLoopback() throws Exception {
        try (LineClient client = viaBalancer(imap, v1("198.51.100.20", 40_001))) {
            assertThat(client.readLine()).startsWith("* OK ");
            client.send("a1 CAPABILITY");
            assertThat(client.readLine()).startsWith("* CAPABILITY ").contains(" LOGINDISABLED");
            assertThat(client.readTagged("a1")).startsWith("a1 OK ");
            client.send("a2 LOGIN alice@example.test alice-pw");
            assertThat(client.readTagged("a2")).startsWith("a2 NO ");
        }
        try (LineClient client = viaBalancer(pop3, v1("198.51.100.20", 40_002))) {
            assertThat(client.readLine()).startsWith("+OK ");
            client.send("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(
                "\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.readLine()).startsWith("-ERR ").contains("TLS");
        }
    }

    @Test
    void aLocalHeaderIsTheBalancersOwnHealthCheck() throws Exception {
        try (LineClient check = viaBalancer(pop3, v2(true, "192.0.2.1", 1))) {
            assertThat(check.readLine()).startsWith("+OK ");
            // the balancer's own address stands: 127.0.0.1, where a plain-text login is allowed
            check.send("USER alice@example.test");
            assertThat(check.readLine()).isEqualTo("+OK");
            check.send("PASS alice-pw");
            assertThat(check.readLine()).startsWith("+OK ");
            check.send("QUIT");
            assertThat(check.readLine()).startsWith("+OK ");
        }
    }

    @Test
    void theWebListenerReadsTheHeaderBeforeTls() throws Exception {
        try (LineClient client = viaBalancer(https, v1("203.0.113.30", 40_003))) {
            client.startTls(TestTls.acceptingAnyCertificate());
            client.sendRaw("GET /mail/config-v1.1.xml?emailaddress=alice%40example.test HTTP/1.1\r\n"
                + "Host: autoconfig.example.test\r\n\r\n");
            assertThat(client.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aBalancerConnectionWithoutAHeaderIsClosedUnanswered() throws Exception {
        try (LineClient silent = LineClient.connectFrom("127.0.0.1", "127.0.0.1", mx).timeout(5_000)) {
            long start = System.nanoTime();
            assertThat(silent.readLine()).as("nothing is written before the header").isNull();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(800L, 4_000L);
        }
    }

    @Test
    void aBalancerConnectionWithABadHeaderIsClosedUnanswered() throws Exception {
        try (LineClient wrong = LineClient.connectFrom("127.0.0.1", "127.0.0.1", imap).send("a1 LOGIN alice@example.test alice-pw")) {
            assertThat(wrong.readLine()).isNull();
        }
        try (LineClient forged = LineClient.connectFrom("127.0.0.1", "127.0.0.1", pop3).send("PROXY TCP4 not-an-address 127.0.0.1 1 2")) {
            assertThat(forged.readLine()).isNull();
        }
    }

    @Test
    void aProxyLineFromAClientThatIsNoBalancerIsAnOrdinaryCommand() throws Exception {
        try (LineClient direct = LineClient.connectFrom("127.0.0.2", "127.0.0.1", mx)) {
            assertThat(direct.readReply()).startsWith("220 ");
            assertThat(direct.command("PROXY TCP4 203.0.113.99 127.0.0.1 40000 25")).startsWith("500 ");
            direct.send("EHLO direct.test");
            assertThat(direct.readFullReply()).startsWith("250-mail.example.test Hello direct.test [127.0.0.2]\n");
        }
    }
}
