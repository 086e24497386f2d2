package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.admin.RemoteAdmin;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestDns;
import org.letterbox.testing.TestPostgres;

/**
 * Two whole servers, each with its own listeners and data directory, on one PostgreSQL database: what a client of
 * one node sees of what happens through the other.
 */
@Tag("slow")
class TwoNodeServerTest {

    @TempDir
    Path dir;

    private TestDns dns;
    private LetterboxServer nodeA;
    private LetterboxServer nodeB;
    private int imapA;
    private int mxB;
    private int imapB;
    private int pop3A;
    private int pop3B;

    @BeforeEach
    void startTwoNodes() throws Exception {
        dns = TestDns.start();
        TestPostgres.Login database = TestPostgres.newDatabase();
        Path password = dir.resolve("db-password");
        Files.writeString(password, database.password() + "\n");
        imapA = FreePort.next();
        pop3A = FreePort.next();
        mxB = FreePort.next();
        nodeA = LetterboxServer.start(config("a", database, password, FreePort.next(), imapA, pop3A));
        imapB = FreePort.next();
        pop3B = FreePort.next();
        nodeB = LetterboxServer.start(config("b", database, password, mxB, imapB, pop3B));
        nodeA.store().accounts().addDomain("example.test");
        nodeA.store().createUser("you@example.test", "secret");
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        dns.close();
    }

    private ServerConfig config(String node, TestPostgres.Login database, Path password, int mx, int imap, int pop3)
            throws Exception {
        Path file = dir.resolve(node + ".yaml");
        Files.writeString(file, "hostname: mail.example.test\n"
            + "dataDirectory: " + dir.resolve(node) + "\n"
            + "store:\n"
            + "  backend: postgresql\n"
            + "  jdbcUrl: \"" + database.jdbcUrl() + "\"\n"
            + "  user: " + database.user() + "\n"
            + "  passwordFile: " + password + "\n"
            + "  poolSize: 6\n"
            + "smtp:\n"
            + "  mx: { port: " + mx + " }\n"
            + "  submission: { port: " + FreePort.next() + " }\n"
            + "  submissions: { port: " + FreePort.next() + " }\n"
            + "imap:\n"
            + "  imap: { port: " + imap + " }\n"
            + "  imaps: { port: " + FreePort.next() + " }\n"
            + "  maxConnectionsPerUser: 2\n"
            + "pop3:\n"
            + "  pop3: { port: " + pop3 + " }\n"
            + "  pop3s: { port: " + FreePort.next() + " }\n"
            + "web:\n  https: { enabled: false }\n  http: { port: " + FreePort.next() + " }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n");
        return new ConfigLoader().load(file);
    }

    @Test
    void aMaildropOpenOnOneNodeIsInUseOnTheOtherAndImapSessionsPerUserAreCountedOnBoth() throws Exception {
        try (LineClient onA = LineClient.connect(pop3A); LineClient onB = LineClient.connect(pop3B)) {
            assertThat(onA.readLine()).startsWith("+OK ");
            assertThat(onA.command("USER you@example.test")).isEqualTo("+OK");
            assertThat(onA.command("PASS secret")).startsWith("+OK ");
            assertThat(onB.readLine()).startsWith("+OK ");
            assertThat(onB.command("USER you@example.test")).isEqualTo("+OK");
            assertThat(onB.command("PASS secret")).startsWith("-ERR [IN-USE] ");
            assertThat(onA.command("QUIT")).startsWith("+OK ");
        }
        TwoServers.await(TwoServers.unchecked(() -> {
            try (LineClient again = LineClient.connect(pop3B)) {
                again.readLine();
                again.command("USER you@example.test");
                return again.command("PASS secret").startsWith("+OK ");
            }
        }));

        try (LineClient first = LineClient.connect(imapA); LineClient second = LineClient.connect(imapB);
             LineClient third = LineClient.connect(imapA)) {
            for (LineClient client : List.of(first, second, third)) {
                assertThat(client.readLine()).startsWith("* OK ");
            }
            first.send("a LOGIN you@example.test secret");
            assertThat(untilTagged(first, "a ")).startsWith("a OK ");
            second.send("b LOGIN you@example.test secret");
            assertThat(untilTagged(second, "b ")).startsWith("b OK ");
            third.send("c LOGIN you@example.test secret");
            assertThat(untilTagged(third, "c ")).isEqualTo("c NO [LIMIT] LOGIN Too many sessions for this user");
        }
    }

    @Test
    void anImapIdleOnOneNodeSeesADeliveryAFlagChangeAndAnExpungeMadeThroughTheOtherEachWithinASecond() throws Exception {
        try (LineClient idler = LineClient.connect(imapA); LineClient other = LineClient.connect(imapB)) {
            logInAndSelect(idler);
            idler.send("c IDLE");
            assertThat(idler.readLine()).startsWith("+ ");
            idler.timeout(1000);

            long sent;
            try (LineClient smtp = LineClient.connect(mxB)) {
                assertThat(smtp.readReply()).startsWith("220 ");
                smtp.command("EHLO remote.test");
                assertThat(smtp.command("MAIL FROM:<a@remote.test>")).startsWith("250 ");
                assertThat(smtp.command("RCPT TO:<you@example.test>")).startsWith("250 ");
                assertThat(smtp.command("DATA")).startsWith("354 ");
                smtp.sendRaw("Subject: across nodes\r\nFrom: a@remote.test\r\n\r\nHello from node B.\r\n.\r\n");
                assertThat(smtp.readReply()).startsWith("250 ");
                sent = System.nanoTime();
            }
            assertThat(idler.readLine()).isEqualTo("* 1 EXISTS");
            System.out.printf("IDLE on node A heard of node B's delivery %.0f ms after its 250%n", (System.nanoTime() - sent) / 1e6);
            assertThat(idler.readLine()).isEqualTo("* 1 RECENT");

            logInAndSelect(other);
            other.send("d STORE 1 +FLAGS (\\Flagged)");
            assertThat(untilTagged(other, "d ")).isEqualTo("d OK STORE completed.");
            assertThat(idler.readLine()).startsWith("* 1 FETCH (FLAGS (").contains("\\Flagged");
            other.send("e STORE 1 +FLAGS (\\Deleted)");
            assertThat(untilTagged(other, "e ")).isEqualTo("e OK STORE completed.");
            assertThat(idler.readLine()).startsWith("* 1 FETCH (FLAGS (").contains("\\Deleted");
            other.send("f EXPUNGE");
            assertThat(untilTagged(other, "f ")).isEqualTo("f OK EXPUNGE completed.");
            assertThat(idler.readLine()).isEqualTo("* 1 EXPUNGE");

            // the one-second bound is for the three pushes above; the answer to DONE only has to come (in one full
            // suite run it did not come within that second)
            idler.timeout(10_000);
            idler.send("DONE");
            assertThat(untilTagged(idler, "c ")).isEqualTo("c OK IDLE completed.");
        }
    }

    private static void logInAndSelect(LineClient imap) throws Exception {
        assertThat(imap.readLine()).startsWith("* OK");
        imap.send("a LOGIN you@example.test secret");
        assertThat(imap.readLine()).isEqualTo("a OK LOGIN completed.");
        imap.send("b SELECT INBOX");
        assertThat(untilTagged(imap, "b ")).isEqualTo("b OK [READ-WRITE] SELECT completed.");
    }

    /** Reads up to the line with {@code tag} and returns it. */
    private static String untilTagged(LineClient imap, String tag) throws Exception {
        String line;
        while (!(line = imap.readLine()).startsWith(tag)) {
            // untagged data
        }
        return line;
    }

    @Test
    void statusThroughEitherNodesAdminEndpointListsBothNodes() throws Exception {
        for (Path data : new Path[] {dir.resolve("a"), dir.resolve("b")}) {
            Admin.Status status = RemoteAdmin.find(data).orElseThrow().send(new AdminRequest.StatusOf());
            assertThat(status.nodes()).hasSize(2).anyMatch(node -> node.endsWith("(this one)"));
        }
    }
}
