package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.SmallFileSystem;

/**
 * APPEND onto a file system that fills up (a 96 MB tmpfs made for the test; skipped where it cannot be): every
 * message answered OK is there, the rest got NO [UNAVAILABLE], and once space comes back APPEND works again.
 */
class ImapDiskFullTest {

    private static final int MB = 1024 * 1024;

    private static byte[] message(int n) {
        StringBuilder text = new StringBuilder("Subject: message " + n + "\r\n\r\n");
        String line = (n + " ").repeat(80).substring(0, 76) + "\r\n";
        while (text.length() < MB) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void appendsOntoAFillingDiskGetNoUnavailableAndEveryOkMessageIsThere() throws Exception {
        try (SmallFileSystem small = SmallFileSystem.mountOrSkip(96)) {
            Path filler = small.root().resolve("filler");
            Files.write(filler, new byte[24 * MB]);
            try (MailStore store = MailStore.open(StoreConfig.defaults(small.root().resolve("data")).withPasswordIterations(1000)
                    .withMinFreeDisk(8L * MB))) {
                store.accounts().addDomain("example.test");
                store.createUser("alice@example.test", "alice-pw");
                int port = FreePort.next();
                try (ImapServer imap = ImapServer.start(ImapSettings.builder().address(new InetSocketAddress("127.0.0.1", port))
                        .hostname("imap.example.test").build(), store);
                     ImapClient c = ImapClient.connect(port)) {
                    assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
                    List<Integer> accepted = new ArrayList<>();
                    int refused = 0;
                    for (int n = 1; n <= 200 && refused < 3; n++) {
                        String reply = ImapClient.tagged(c.commandWithLiteral("APPEND INBOX ", message(n), ""));
                        if (reply.matches("a\\d+ OK \\[APPENDUID \\d+ \\d+] APPEND completed\\.")) {
                            assertThat(refused).as("an OK after a NO, with no space freed").isZero();
                            accepted.add(n);
                        } else {
                            assertThat(reply).matches("a\\d+ NO \\[UNAVAILABLE] APPEND Insufficient storage on the server, try again later");
                            refused++;
                        }
                    }
                    assertThat(accepted).isNotEmpty();
                    assertThat(refused).isEqualTo(3);
                    assertThat(c.command("SELECT INBOX")).contains("* " + accepted.size() + " EXISTS");
                    List<String> sizes = c.command("FETCH 1:* (RFC822.SIZE)");
                    for (int i = 0; i < accepted.size(); i++) {
                        assertThat(sizes).contains("* " + (i + 1) + " FETCH (RFC822.SIZE " + message(accepted.get(i)).length + ")");
                    }
                    Files.delete(filler);
                    assertThat(ImapClient.tagged(c.commandWithLiteral("APPEND INBOX ", message(1000), "")))
                        .matches("a\\d+ OK \\[APPENDUID \\d+ \\d+] APPEND completed\\.");
                }
            }
        }
    }
}
