package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM appending in a loop is killed with SIGKILL; the reopened store must hold every acknowledged append, whole. */
@Tag("slow")
class CrashDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKillMinus9AndNoPartialMessageIsVisible() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "-Dderby.stream.error.file=" + dir.resolve("derby.log"), CrashAppender.class.getName(), dir.toString());
        builder.redirectError(dir.resolve("child.err").toFile());
        Process child = builder.start();
        Set<Integer> acknowledged = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(Integer.parseInt(line.substring(4)));
                    if (acknowledged.size() >= 300) {
                        // SIGKILL: no shutdown hook, no clean Derby shutdown
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).as("child acknowledged appends; see " + dir.resolve("child.err")).hasSizeGreaterThanOrEqualTo(300);

        Pattern subject = Pattern.compile("Subject: message (\\d+)\r\n");
        Set<Integer> found = new HashSet<>();
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            MailboxSession session = store.mailboxManager().createSystemSession(Username.of("crash@example.test"));
            MessageManager mailbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
            var results = mailbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
            while (results.hasNext()) {
                MessageResult result = results.next();
                byte[] bytes = result.getFullContent().getInputStream().readAllBytes();
                String text = new String(bytes, StandardCharsets.UTF_8);
                Matcher m = subject.matcher(text);
                assertThat(m.find()).as("message starts with its subject").isTrue();
                int n = Integer.parseInt(m.group(1));
                assertThat(bytes).as("message %d is whole", n).isEqualTo(CrashAppender.message(n));
                assertThat(found.add(n)).as("message %d is present once", n).isTrue();
            }
        }
        assertThat(found).containsAll(acknowledged);
    }
}
