package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestPostgres;

/**
 * Two nodes on one PostgreSQL take SMTP deliveries at once; node A, in a child JVM, is killed with SIGKILL in the
 * middle. Node B goes on taking mail, and every message either node acknowledged with 250 is there exactly once,
 * and whole.
 */
@Tag("slow")
class TwoNodeCrashTest {

    @TempDir
    Path dir;

    @Test
    void whenOneNodeIsKilledTheOtherKeepsServingAndNoAcknowledgedMessageIsLost() throws Exception {
        TestPostgres.Login database = TestPostgres.newDatabase();
        Path password = dir.resolve("db-password");
        Files.writeString(password, database.password() + "\n");
        int mxA = FreePort.next();
        int mxB = FreePort.next();
        Path configA = config("a", database, password, mxA);
        Path configB = config("b", database, password, mxB);

        try (LetterboxServer nodeB = LetterboxServer.start(new ConfigLoader().load(configB))) {
            nodeB.store().accounts().addDomain("example.test");
            nodeB.store().createUser("you@example.test", "pw");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process nodeA = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LetterboxServer.class.getName(), configA.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("node-a.log").toFile()).start();
            awaitListening(mxA, nodeA);

            Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
            Set<Integer> acknowledgedByB = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            for (int s = 0; s < 6; s++) {
                int port = s < 4 ? mxA : mxB;
                pool.submit(() -> send(port, next, acknowledged, port == mxB ? acknowledgedByB : null, 1_000_000));
            }
            while (acknowledged.size() < 200) {
                assertThat(nodeA.isAlive()).as("node A alive; see " + dir.resolve("node-a.log")).isTrue();
                Thread.sleep(5);
            }
            nodeA.destroyForcibly(); // SIGKILL: no shutdown hook, its connections and claims simply gone
            assertThat(nodeA.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // node B goes on: 100 more messages after the kill, every one acknowledged
            Set<Integer> afterKill = ConcurrentHashMap.newKeySet();
            send(mxB, next, afterKill, null, 100);
            assertThat(afterKill).hasSize(100);
            acknowledged.addAll(afterKill);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledgedByB).as("node B took mail alongside A").isNotEmpty();

            Set<Integer> acked = Set.copyOf(acknowledged);
            List<Integer> found = SmtpCrashTest.storedBurst(nodeB.store());
            assertThat(found).as("no message is stored twice").doesNotHaveDuplicates();
            assertThat(found).as("every message that got 250 from either node is there").containsAll(acked);
        }
    }

    /** Sends up to {@code count} messages over one connection; each one answered 250 goes into {@code acknowledged}. */
    private static Void send(int port, AtomicInteger next, Set<Integer> acknowledged, Set<Integer> alsoInto, int count) {
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO burst.test");
            for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
                int n = next.getAndIncrement();
                c.command("MAIL FROM:<burst@remote.test>");
                c.command("RCPT TO:<you@example.test>");
                c.command("DATA");
                c.sendRaw(SmtpCrashTest.body(n) + ".\r\n");
                String reply = c.readReply();
                if (reply == null) {
                    return null;
                }
                if (reply.startsWith("250")) {
                    acknowledged.add(n);
                    if (alsoInto != null) {
                        alsoInto.add(n);
                    }
                }
            }
        } catch (Exception killed) {
            // the node went away under this session
        }
        return null;
    }

    private static void awaitListening(int port, Process node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (LineClient probe = LineClient.connect(port)) {
                if (probe.readReply().startsWith("220")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                assertThat(node.isAlive() && System.nanoTime() < deadline).as("node A listening").isTrue();
                Thread.sleep(100);
            }
        }
    }

    private Path config(String node, TestPostgres.Login database, Path password, int mx) throws Exception {
        Path file = dir.resolve(node + ".yaml");
        Files.writeString(file, "dataDirectory: " + dir.resolve(node) + "\n"
            + "store:\n  backend: postgresql\n  jdbcUrl: \"" + database.jdbcUrl() + "\"\n  user: " + database.user()
            + "\n  passwordFile: " + password + "\n  poolSize: 6\n"
            + "smtp:\n  mx: { port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\n"
            + "web: { https: { enabled: false }, http: { enabled: false } }\n"
            // store durability is under test here, not mail authentication
            + "mailAuth: { enabled: false }\n");
        return file;
    }
}
