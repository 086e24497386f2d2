package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.testing.FreePort;

/** Literal edge cases and what survives a restart of the whole store. */
@Tag("slow")
class ImapLiteralAndRestartTest {

    @TempDir
    Path dir;

    @Test
    void aZeroLengthLiteralIsAccepted() throws Exception {
        try (ImapFixture fixture = new ImapFixture()) {
            int port = fixture.start();
            try (ImapClient c = ImapClient.connect(port)) {
                c.login("alice@example.test", "alice-pw");
                // a zero-length mailbox name is legal syntax; LIST "" "" asks for the hierarchy delimiter
                List<String> list = c.commandWithLiteral("LIST ", new byte[0], " \"\"");
                assertThat(ImapClient.status(list)).isEqualTo("OK");
                assertThat(list).anyMatch(l -> l.startsWith("* LIST (\\Noselect) \".\""));
            }
        }
    }

    @Test
    void aNonSynchronizingAppendOverTheLimitGetsTooBigAndTheSessionGoesOn() throws Exception {
        try (ImapFixture fixture = new ImapFixture()) {
            int port = fixture.start(b -> b.maxLiteralSize(1024).inMemoryLiteralLimit(512));
            try (ImapClient c = ImapClient.connect(port)) {
                c.login("alice@example.test", "alice-pw");
                byte[] big = ("Subject: big\r\n\r\n" + "x".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                c.raw().sendRaw("b1 APPEND INBOX {" + big.length + "+}\r\n");
                c.raw().sendBytes(big);
                c.raw().sendRaw("\r\n");
                List<String> response = c.readUntilTagged("b1");
                assertThat(ImapClient.tagged(response)).startsWith("b1 NO [TOOBIG]");
                assertThat(ImapClient.status(c.command("NOOP"))).isEqualTo("OK");
                assertThat(c.command("STATUS INBOX (MESSAGES)")).anyMatch(l -> l.contains("MESSAGES 0"));
            }
        }
    }

    @Test
    void aLiteralPlusAppendSentInOneSegmentWithItsCommandIsSpooledAndStoredWhole() throws Exception {
        try (ImapFixture fixture = new ImapFixture()) {
            // a literal over the in-memory limit goes to a file; command and literal arrive in one read
            int port = fixture.start(b -> b.inMemoryLiteralLimit(512));
            try (ImapClient c = ImapClient.connect(port)) {
                c.login("alice@example.test", "alice-pw");
                for (int round = 0; round < 5; round++) {
                    byte[] message = ("Subject: one segment " + round + "\r\n\r\n" + "y".repeat(20_000) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                    byte[] command = ("p" + round + " APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] all = new byte[command.length + message.length + 2];
                    System.arraycopy(command, 0, all, 0, command.length);
                    System.arraycopy(message, 0, all, command.length, message.length);
                    all[all.length - 2] = '\r';
                    all[all.length - 1] = '\n';
                    c.raw().sendBytes(all);
                    assertThat(ImapClient.tagged(c.readUntilTagged("p" + round))).startsWith("p" + round + " OK");
                }
                c.command("SELECT INBOX");
                List<String> fetched = c.command("FETCH 5 (RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
                assertThat(fetched).anyMatch(l -> l.contains("RFC822.SIZE " + (20_000 + "Subject: one segment 4\r\n\r\n\r\n".length())));
            }
        }
    }

    @Test
    void aSynchronizingAppendOverTheLimitGetsTooBig() throws Exception {
        try (ImapFixture fixture = new ImapFixture()) {
            int port = fixture.start(b -> b.maxLiteralSize(1024).inMemoryLiteralLimit(512));
            try (ImapClient c = ImapClient.connect(port)) {
                c.login("alice@example.test", "alice-pw");
                byte[] big = ("Subject: big\r\n\r\n" + "y".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                List<String> response = c.commandWithLiteral("APPEND INBOX ", big, "");
                assertThat(ImapClient.tagged(response)).containsPattern("NO \\[TOOBIG\\]");
                assertThat(ImapClient.status(c.command("NOOP"))).isEqualTo("OK");
            }
        }
    }

    @Test
    void aThirtyMegabyteAppendIsStoredIntact() throws Exception {
        try (ImapFixture fixture = new ImapFixture()) {
            int port = fixture.start();
            StringBuilder text = new StringBuilder("Subject: big\r\n\r\n");
            String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n";
            while (text.length() < 30 * 1024 * 1024) {
                text.append(line);
            }
            byte[] message = text.toString().getBytes(StandardCharsets.US_ASCII);
            try (ImapClient c = ImapClient.connect(port)) {
                c.login("alice@example.test", "alice-pw");
                List<String> append = c.commandWithLiteral("APPEND INBOX ", message, "");
                assertThat(ImapClient.status(append)).isEqualTo("OK");
                c.command("SELECT INBOX");
                List<String> size = c.command("FETCH 1 (RFC822.SIZE)");
                assertThat(size.get(0)).contains("RFC822.SIZE " + message.length);
            }
        }
    }

    @Test
    void uidValidityUidsFlagsAndSubscriptionsSurviveARestart() throws Exception {
        long validity;
        String beforeFetch;
        for (int round = 0; round < 2; round++) {
            try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
                if (round == 0) {
                    store.accounts().addDomain("example.test");
                    store.createUser("alice@example.test", "alice-pw");
                }
                int port = FreePort.next();
                try (ImapServer server = ImapServer.start(ImapSettings.builder()
                        .address(new InetSocketAddress("127.0.0.1", port)).build(), store);
                     ImapClient c = ImapClient.connect(port)) {
                    c.login("alice@example.test", "alice-pw");
                    if (round == 0) {
                        c.command("CREATE Projects");
                        c.command("SUBSCRIBE Projects");
                        for (int i = 0; i < 3; i++) {
                            c.commandWithLiteral("APPEND INBOX ", ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII), "");
                        }
                        c.command("SELECT INBOX");
                        c.command("STORE 2 +FLAGS (\\Flagged $Important)");
                        c.command("STORE 1 +FLAGS (\\Deleted)");
                        c.command("EXPUNGE");
                    }
                    List<String> select = c.command("SELECT INBOX");
                    Matcher m = Pattern.compile("UIDVALIDITY (\\d+)").matcher(String.join("\n", select));
                    assertThat(m.find()).isTrue();
                    long now = Long.parseLong(m.group(1));
                    List<String> fetch = c.command("FETCH 1:* (UID FLAGS)");
                    String flags = String.join("\n", fetch.stream().filter(l -> l.matches("\\* \\d+ FETCH .*")).toList())
                        .replaceAll("\\\\Recent", "").replace("( ", "(").replace(" )", ")").replace("  ", " ");
                    List<String> lsub = c.command("LSUB \"\" \"*\"");
                    assertThat(lsub).anyMatch(l -> l.endsWith("\"Projects\""));
                    if (round == 0) {
                        validity = now;
                        beforeFetch = flags;
                        Files.writeString(dir.resolve("round0"), validity + "\n" + beforeFetch);
                    } else {
                        String[] saved = Files.readString(dir.resolve("round0")).split("\n", 2);
                        assertThat(now).isEqualTo(Long.parseLong(saved[0]));
                        assertThat(flags).isEqualTo(saved[1]);
                        assertThat(flags).contains("UID 2", "UID 3", "\\Flagged", "$Important").doesNotContain("UID 1 ");
                    }
                }
            }
        }
    }
}
