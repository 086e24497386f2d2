package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.SmallFileSystem;

/**
 * SMTP onto a file system that fills up, made for the test (a 96 MB tmpfs; skipped where it cannot be mounted):
 * every message answered 250 is intact, the rest got 452 4.3.1, and once space comes back mail flows again
 * without a restart.
 */
@Tag("slow")
class SmtpDiskFullTest {

    private static final int MB = 1024 * 1024;


    private static String send(LineClient c, int n) throws Exception {
        assertThat(c.command("MAIL FROM:<sender@remote.test>")).startsWith("250 ");
        assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
        assertThat(c.command("DATA")).startsWith("354 ");
        StringBuilder body = new StringBuilder("Subject: message " + n + "\r\n\r\n");
        String line = (n + " ").repeat(80).substring(0, 76) + "\r\n";
        while (body.length() < MB) {
            body.append(line);
        }
        c.sendRaw(body + ".\r\n");
        return c.readReply();
    }

    private static List<String> subjectsAndSizes(MailStore store) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MessageManager inbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        List<String> found = new ArrayList<>();
        var messages = inbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (messages.hasNext()) {
            try (InputStream in = messages.next().getFullContent().getInputStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                String subject = text.substring(text.indexOf("Subject: ") + 9, text.indexOf("\r\n", text.indexOf("Subject: ")));
                found.add(subject + " " + text.substring(text.indexOf("Subject: ")).length());
            }
        }
        return found;
    }

    @Test
    void aFillingDiskGets452AndEveryAcceptedMessageIsIntactAndMailFlowsAgainWhenSpaceReturns() throws Exception {
        try (SmallFileSystem small = SmallFileSystem.mountOrSkip(96)) {
            Path mount = small.root();
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[24 * MB]);
            List<String> accepted = new ArrayList<>();
            int refused = 0;
            try (MailStore store = MailStore.open(StoreConfig.defaults(mount.resolve("data")).withPasswordIterations(1000)
                    .withMinFreeDisk(8L * MB))) {
                store.accounts().addDomain("example.test");
                store.accounts().addUser("alice@example.test", "alice-pw");
                int port = FreePort.next();
                try (SmtpServer smtp = SmtpServer.start(SmtpSettings.builder().address(new InetSocketAddress("127.0.0.1", port))
                        .hostname("mx.example.test").build(), store);
                     LineClient c = LineClient.connect(port)) {
                    c.readReply();
                    c.command("EHLO remote.test");
                    for (int n = 1; n <= 200 && refused < 3; n++) {
                        String reply = send(c, n);
                        if (reply.startsWith("250 ")) {
                            assertThat(refused).as("a 250 after a 452, with no space freed").isZero();
                            accepted.add("message " + n);
                        } else {
                            assertThat(reply).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
                            refused++;
                        }
                    }
                    assertThat(accepted).isNotEmpty();
                    assertThat(refused).isEqualTo(3);
                    List<String> stored = subjectsAndSizes(store);
                    assertThat(stored).hasSize(accepted.size());
                    for (int i = 0; i < accepted.size(); i++) {
                        assertThat(stored.get(i)).startsWith(accepted.get(i) + " ");
                        assertThat(Integer.parseInt(stored.get(i).substring(stored.get(i).lastIndexOf(' ') + 1)))
                            .as("bytes of %s", accepted.get(i)).isGreaterThanOrEqualTo(MB - 100);
                    }
                    Files.delete(filler);
                    assertThat(send(c, 1000)).startsWith("250 ");
                }
            }
        }
    }
}
