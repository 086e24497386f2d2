package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestDns;

/**
 * Letterbox behind a real HAProxy (Debian's package; {@code .ci/run} installs it), as docs/operations.md sets it up:
 * SMTP with {@code send-proxy} (version 1), IMAPS with {@code send-proxy-v2}, TLS passed through. The balancer
 * connects from 127.0.0.1; the clients connect to it from 127.0.0.2 and 127.0.0.3, and those are the addresses the
 * server sees: in its greeting, its Received header, and its per-IP cap. Angus Mail reads the mail through HAProxy,
 * and HAProxy's health checks find the server up.
 */
@Tag("slow")
class HaproxyEndToEndTest {

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path dir;

    @Test
    void mailSentAndReadThroughHaproxyCarriesTheClientsAddresses() throws Exception {
        assumeTrue(Files.isExecutable(HAPROXY), "HAProxy is not installed (apt-get install haproxy)");
        int mx = FreePort.next();
        int imaps = FreePort.next();
        int balancedMx = FreePort.next();
        int balancedImaps = FreePort.next();
        Path config = dir.resolve("letterbox.yaml");
        try (TestDns dns = TestDns.start()) {
            Files.writeString(config, "dataDirectory: " + dir.resolve("data") + "\n"
                + "hostname: mail.example.test\n"
                + "trustedNetworks: []\n"
                + "proxyProtocol: { from: [\"127.0.0.1/32\"] }\n"
                + "smtp:\n  mx: { port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
                + "imap:\n  imap: { enabled: false }\n  imaps: { port: " + imaps + " }\n  maxConnectionsPerIp: 2\n"
                + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\n"
                + "admin: { enabled: false }\nweb: { https: { enabled: false } }\n"
                + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n");
            Path haproxyConfig = dir.resolve("haproxy.cfg");
            Files.writeString(haproxyConfig, String.join("\n",
                "global",
                "  maxconn 100",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 60s",
                "  timeout server 60s",
                "frontend smtp",
                "  bind 127.0.0.1:" + balancedMx,
                "  default_backend letterbox_smtp",
                "backend letterbox_smtp",
                "  server node1 127.0.0.1:" + mx + " send-proxy check inter 300ms",
                "frontend imaps",
                "  bind 127.0.0.1:" + balancedImaps,
                "  default_backend letterbox_imaps",
                "backend letterbox_imaps",
                "  server node1 127.0.0.1:" + imaps + " send-proxy-v2 check inter 300ms",
                ""));
            Process haproxy = null;
            try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(config))) {
                haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", haproxyConfig.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
                server.store().accounts().addDomain("example.test");
                server.store().createUser("alice@example.test", "alice-pw");
                awaitListening(balancedMx, haproxy);
                awaitListening(balancedImaps, haproxy);

                try (LineClient sender = LineClient.connectFrom("127.0.0.2", "127.0.0.1", balancedMx)) {
                    assertThat(sender.readReply()).startsWith("220 mail.example.test ");
                    sender.send("EHLO remote.test");
                    assertThat(sender.readFullReply()).startsWith("250-mail.example.test Hello remote.test [127.0.0.2]\n");
                    assertThat(sender.command("MAIL FROM:<someone@remote.test>")).startsWith("250 ");
                    assertThat(sender.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
                    assertThat(sender.command("DATA")).startsWith("354 ");
                    sender.send("Subject: via haproxy").send("").send("hello through the balancer").send(".");
                    assertThat(sender.readReply()).startsWith("250 ");
                    assertThat(sender.command("QUIT")).startsWith("221 ");
                }

                Properties props = new Properties();
                props.put("mail.imaps.ssl.trust", "*");
                props.put("mail.imaps.ssl.checkserveridentity", "false");
                props.put("mail.imaps.localaddress", "127.0.0.3");
                props.put("mail.imaps.connectiontimeout", "10000");
                props.put("mail.imaps.timeout", "10000");
                try (Store store = Session.getInstance(props).getStore("imaps")) {
                    store.connect("127.0.0.1", balancedImaps, "alice@example.test", "alice-pw");
                    Folder inbox = store.getFolder("INBOX");
                    inbox.open(Folder.READ_ONLY);
                    Message[] messages = inbox.getMessages();
                    assertThat(messages).hasSize(1);
                    assertThat(messages[0].getSubject()).isEqualTo("via haproxy");
                    assertThat(messages[0].getHeader("Received")[0]).startsWith("from remote.test ([127.0.0.2])");
                    inbox.close(false);
                }

                // one after the other, each greeted before the next opens: the order in which they reach the server
                try (LineClient first = imapsThrough("127.0.0.4", balancedImaps, "* OK ");
                     LineClient second = imapsThrough("127.0.0.4", balancedImaps, "* OK ");
                     LineClient third = imapsThrough("127.0.0.4", balancedImaps, "* BYE Too many connections, try again later");
                     LineClient elsewhere = imapsThrough("127.0.0.5", balancedImaps, "* OK ")) {
                    assertThat(List.of(first, second, third, elsewhere)).hasSize(4);
                }

                // HAProxy's health checks (with the PROXY header, LOCAL for version 2) keep both nodes up
                Thread.sleep(2_000);
                try (LineClient late = LineClient.connectFrom("127.0.0.2", "127.0.0.1", balancedMx)) {
                    assertThat(late.readReply()).startsWith("220 mail.example.test ");
                }
                assertThat(Files.readString(dir.resolve("haproxy.log"))).doesNotContain("DOWN");
            } finally {
                if (haproxy != null) {
                    haproxy.destroy();
                    if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                        haproxy.destroyForcibly();
                    }
                }
            }
        }
    }

    /** An IMAPS client from {@code from} through the balancer, whose first line has been read and checked. */
    private static LineClient imapsThrough(String from, int port, String firstLine) throws Exception {
        LineClient client = LineClient.connectFrom(from, "127.0.0.1", port);
        client.startTls(org.letterbox.testing.TestTls.acceptingAnyCertificate());
        assertThat(client.readLine()).as("first line to %s", from).startsWith(firstLine);
        return client;
    }

    private static void awaitListening(int port, Process haproxy) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            assertThat(haproxy.isAlive()).as("haproxy is running").isTrue();
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
