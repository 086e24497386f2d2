package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;

/**
 * The real server in a child JVM takes a burst of SMTP deliveries from several sessions and is killed with SIGKILL
 * in the middle. After a restart, every message that got a 250 is there exactly once, and every message that is
 * there is whole.
 */
@Tag("slow")
class SmtpCrashTest {

    @TempDir
    Path dir;

    static String body(int n) {
        return "Subject: crash " + n + "\r\nFrom: burst@remote.test\r\n\r\n" + ("line " + n + " of the burst\r\n").repeat(60);
    }

    /** The numbers of the burst's messages in you@example.test's INBOX, each checked to be whole. */
    static List<Integer> storedBurst(MailStore store) throws Exception {
        Pattern subject = Pattern.compile("Subject: crash (\\d+)\r\n");
        List<Integer> found = new ArrayList<>();
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("you@example.test"));
        MessageManager inbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        var results = inbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            String text = new String(result.getFullContent().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = subject.matcher(text);
            assertThat(m.find()).as("a stored message has its subject").isTrue();
            int n = Integer.parseInt(m.group(1));
            assertThat(text).as("message %d is whole", n).endsWith(body(n));
            found.add(n);
        }
        return found;
    }

    @Test
    void everyMessageAcknowledgedWith250SurvivesKillMinus9ExactlyOnceAndWhole() throws Exception {
        Path data = dir.resolve("data");
        try (MailStore store = MailStore.open(StoreConfig.defaults(data))) {
            store.accounts().addDomain("example.test");
            store.createUser("you@example.test", "pw");
        }
        int mx = FreePort.next();
        Path config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "dataDirectory: " + data + "\n"
            + "smtp:\n  mx: { port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
            // store durability is under test here, not mail authentication (InboundAuthTest has that)
            + "mailAuth: { enabled: false }\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "-Dderby.stream.error.file=" + dir.resolve("derby.log"), LetterboxServer.class.getName(), config.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (LineClient probe = LineClient.connect(mx)) {
                if (probe.readReply().startsWith("220")) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("server listening; see " + dir.resolve("child.log")).isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        int sessions = 6;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        for (int s = 0; s < sessions; s++) {
            pool.submit(() -> {
                try (LineClient c = LineClient.connect(mx)) {
                    c.readReply();
                    c.command("EHLO burst.test");
                    while (true) {
                        int n = next.getAndIncrement();
                        c.command("MAIL FROM:<burst@remote.test>");
                        c.command("RCPT TO:<you@example.test>");
                        c.command("DATA");
                        c.sendRaw(body(n) + ".\r\n");
                        String reply = c.readReply();
                        if (reply == null) {
                            return null;
                        }
                        if (reply.startsWith("250")) {
                            acknowledged.add(n);
                        }
                    }
                } catch (Exception killed) {
                    return null;
                }
            });
        }
        while (acknowledged.size() < 150) {
            assertThat(child.isAlive()).as("server alive; see " + dir.resolve("child.log")).isTrue();
            Thread.sleep(5);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean Derby shutdown
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        Set<Integer> acked = Set.copyOf(acknowledged);

        List<Integer> found;
        try (MailStore store = MailStore.open(StoreConfig.defaults(data))) {
            found = storedBurst(store);
        }
        assertThat(found).as("no message is stored twice").doesNotHaveDuplicates();
        assertThat(found).as("every message that got 250 is there").containsAll(acked);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(150);
    }
}
