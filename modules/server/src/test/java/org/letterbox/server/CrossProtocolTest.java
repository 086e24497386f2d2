package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestDns;

/** What one protocol does, another sees at once: the wired server, two real clients on loopback. */
class CrossProtocolTest {

    @TempDir
    Path dir;

    @Test
    void anImapSessionInIdleSeesExistsWithinOneSecondOfAnSmtpDelivery() throws Exception {
        int mx = FreePort.next();
        int imap = FreePort.next();
        // an empty zone: the MX's SPF and DMARC lookups for remote.test get local NXDOMAINs
        TestDns dns = TestDns.start();
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, "dataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { port: " + imap + " }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n");
        try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(file));
             LineClient idler = LineClient.connect(imap);
             TestDns closing = dns) {
            server.store().accounts().addDomain("example.test");
            server.store().createUser("alice@example.test", "alice-pw");
            assertThat(idler.readLine()).startsWith("* OK ");
            idler.send("a1 LOGIN alice@example.test alice-pw");
            assertThat(idler.readTagged("a1")).startsWith("a1 OK ");
            idler.send("a2 SELECT INBOX");
            assertThat(idler.readTagged("a2")).startsWith("a2 OK ");
            idler.send("a3 IDLE");
            assertThat(idler.readLine()).startsWith("+ ");
            try (LineClient sender = LineClient.connect(mx)) {
                assertThat(sender.readReply()).startsWith("220 ");
                assertThat(sender.command("EHLO remote.test")).startsWith("250 ");
                assertThat(sender.command("MAIL FROM:<someone@remote.test>")).startsWith("250 ");
                assertThat(sender.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
                assertThat(sender.command("DATA")).startsWith("354 ");
                sender.send("Subject: wake up").send("").send("hi").send(".");
                assertThat(sender.readReply()).startsWith("250 ");
            }
            long delivered = System.nanoTime();
            idler.timeout(1_000);
            assertThat(idler.readLine()).isEqualTo("* 1 EXISTS");
            assertThat((System.nanoTime() - delivered) / 1_000_000).isLessThan(1_000);
            idler.timeout(5_000);
            idler.send("DONE");
            assertThat(idler.readTagged("a3")).isEqualTo("a3 OK IDLE completed.");
        }
    }
}
