package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FakeSmtpServer;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestDns;

/**
 * The sending server in a child JVM is killed with SIGKILL while it is handing a queued message over: the receiver
 * has the whole message and is about to answer. After a restart the message is sent again (a duplicate is
 * acceptable, a loss is not), and once a server has said 250 it is never sent again, across another restart.
 */
@Tag("slow")
class DeliveryCrashTest {

    private static final String MESSAGE = "From: alice@example.test\r\nTo: bob@remote.test\r\nSubject: crash\r\n\r\n"
        + "Sent when the sender died.\r\n";

    @TempDir
    Path dir;

    @Test
    void aMessageBeingSentWhenTheServerIsKilledIsSentAfterRestartAndNeverAfterItsFinalAnswer() throws Exception {
        Path data = dir.resolve("data");
        try (MailStore store = MailStore.open(StoreConfig.defaults(data))) {
            store.accounts().addDomain("example.test");
            store.createUser("alice@example.test", "pw");
            byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
            store.delivery().deliver("alice@example.test", List.of(), List.of("bob@remote.test"),
                () -> new ByteArrayInputStream(bytes), bytes.length);
        }
        int mxPort = FreePort.next();
        CountDownLatch dataEnded = new CountDownLatch(1);
        AtomicBoolean stallAtTheEnd = new AtomicBoolean(true);
        try (TestDns dns = TestDns.start();
             FakeSmtpServer receiver = FakeSmtpServer.start("127.0.0.2", mxPort)) {
            dns.mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "127.0.0.2");
            receiver.replies(line -> {
                if (line.equals(".") && stallAtTheEnd.get()) {
                    dataEnded.countDown();
                    return FakeSmtpServer.STALL;
                }
                return null;
            });
            Path config = dir.resolve("letterbox.yaml");
            Files.writeString(config, "hostname: mail.example.test\ndataDirectory: " + data + "\n"
                + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { enabled: false }\n"
                + "  submissions: { enabled: false }\n"
                + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
                + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
                + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n"
                + "delivery:\n  mxPort: " + mxPort + "\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dderby.stream.error.file=" + dir.resolve("derby.log"), LetterboxServer.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                assertThat(dataEnded.await(60, TimeUnit.SECONDS)).as("the child sent the message; see " + dir.resolve("child.log"))
                    .isTrue();
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean Derby shutdown
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(receiver.received()).as("the receiver never answered the first time").isEmpty();

            stallAtTheEnd.set(false);
            try (LetterboxServer restarted = LetterboxServer.start(new ConfigLoader().load(config))) {
                TwoServers.await(() -> restarted.store().queue().size() == 0);
            }
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.received().get(0).text()).isEqualTo(MESSAGE);
            int connections = receiver.connections();

            try (LetterboxServer again = LetterboxServer.start(new ConfigLoader().load(config))) {
                assertThat(again.store().queue().size()).isZero();
                Thread.sleep(1000);
            }
            assertThat(receiver.connections()).as("nothing is sent after the final answer").isEqualTo(connections);
            assertThat(receiver.received()).hasSize(1);
        }
    }
}
