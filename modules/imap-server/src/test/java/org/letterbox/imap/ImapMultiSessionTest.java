package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour that spans sessions: IDLE, concurrent APPEND, MOVE and expunges, CONDSTORE/QRESYNC resync. */
@Tag("slow")
class ImapMultiSessionTest {

    private ImapFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    static byte[] message(String subject) {
        return ("From: bob@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads lines until one matches, or fails after the timeout. */
    static String awaitLine(ImapClient c, String regex, int millis) throws Exception {
        c.raw().timeout(millis);
        Pattern pattern = Pattern.compile(regex);
        while (true) {
            String line = c.raw().readLine();
            if (line == null) {
                throw new AssertionError("connection closed before a line matching " + regex);
            }
            if (pattern.matcher(line).find()) {
                return line;
            }
        }
    }

    /**
     * Several sessions pipelining 150 commands each: every session gets its replies in the order it sent them. James
     * flushes a command's last reply after the command completes, and that could come after the next command's
     * replies; its server-wide throttler (128 requests in flight) delayed such flushes further.
     */
    @Test
    void pipelinedCommandsOfSessionsWithHundredsInFlightAreAnsweredInOrder() throws Exception {
        List<ImapClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                ImapClient session = ImapClient.connect(port);
                sessions.add(session);
                session.raw().timeout(30_000);
                assertThat(ImapClient.tagged(session.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
                assertThat(ImapClient.tagged(session.command("SELECT INBOX"))).isEqualTo("a2 OK [READ-WRITE] SELECT completed.");
            }
            int pipelined = 150;
            for (int i = 0; i < sessions.size(); i++) {
                StringBuilder commands = new StringBuilder();
                for (int n = 1; n <= pipelined; n++) {
                    commands.append("s").append(i).append('n').append(n).append(" NOOP\r\n");
                }
                sessions.get(i).raw().sendRaw(commands.toString());
            }
            for (int i = 0; i < sessions.size(); i++) {
                for (int n = 1; n <= pipelined; n++) {
                    assertThat(sessions.get(i).raw().readLine()).as("session %d, reply %d", i, n)
                        .isEqualTo("s" + i + "n" + n + " OK NOOP completed.");
                }
            }
        } finally {
            for (ImapClient session : sessions) {
                session.close();
            }
        }
    }

    @Test
    void idleSeesAppendsAndExpungesFromAnotherSession() throws Exception {
        try (ImapClient idler = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            idler.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            other.commandWithLiteral("APPEND INBOX ", message("one"), "");
            idler.command("SELECT INBOX");
            idler.raw().send("i1 IDLE");
            assertThat(idler.raw().readLine()).startsWith("+");

            other.commandWithLiteral("APPEND INBOX ", message("two"), "");
            assertThat(awaitLine(idler, "^\\* 2 EXISTS$", 1_000)).isEqualTo("* 2 EXISTS");

            other.command("SELECT INBOX");
            other.command("STORE 2 +FLAGS (\\Flagged)");
            other.command("STORE 1 +FLAGS (\\Deleted)");
            other.command("EXPUNGE");
            assertThat(awaitLine(idler, "^\\* 1 EXPUNGE$", 1_000)).isEqualTo("* 1 EXPUNGE");
            idler.raw().send("DONE");
            assertThat(awaitLine(idler, "^i1 ", 5_000)).startsWith("i1 OK");
            // after IDLE, the state is the one the other session left
            assertThat(idler.command("FETCH 1 (FLAGS)")).anyMatch(l -> l.startsWith("* 1 FETCH") && l.contains("\\Flagged"));
        }
    }

    @Test
    void idleSeesFlagChangesFromAnotherSession() throws Exception {
        try (ImapClient idler = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            idler.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            other.commandWithLiteral("APPEND INBOX ", message("one"), "");
            other.commandWithLiteral("APPEND INBOX ", message("two"), "");
            idler.command("SELECT INBOX");
            other.command("SELECT INBOX");
            idler.raw().send("i1 IDLE");
            assertThat(idler.raw().readLine()).startsWith("+");
            other.command("STORE 2 +FLAGS (\\Flagged)");
            assertThat(awaitLine(idler, "^\\* 2 FETCH", 1_000)).contains("\\Flagged");
            other.command("STORE 1 +FLAGS (\\Seen)");
            assertThat(awaitLine(idler, "^\\* 1 FETCH", 1_000)).contains("\\Seen");
            idler.raw().send("DONE");
            assertThat(awaitLine(idler, "^i1 ", 5_000)).startsWith("i1 OK");
        }
    }

    @Test
    void flagChangesByAnotherSessionAreReportedAtTheNextCommand() throws Exception {
        try (ImapClient watcher = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            watcher.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            other.commandWithLiteral("APPEND INBOX ", message("one"), "");
            watcher.command("SELECT INBOX");
            other.command("SELECT INBOX");
            other.command("STORE 1 +FLAGS (\\Flagged)");
            assertThat(watcher.command("NOOP")).anyMatch(l -> l.startsWith("* 1 FETCH") && l.contains("\\Flagged"));
        }
    }

    @Test
    void concurrentAppendsFromTwoSessionsGetDistinctUids() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            int session = s;
            results.add(pool.submit(() -> {
                List<Long> uids = new ArrayList<>();
                try (ImapClient c = ImapClient.connect(port)) {
                    c.login("alice@example.test", "alice-pw");
                    for (int i = 0; i < 25; i++) {
                        String tagged = ImapClient.tagged(c.commandWithLiteral("APPEND INBOX ", message("s" + session + "-" + i), ""));
                        Matcher m = Pattern.compile("APPENDUID \\d+ (\\d+)").matcher(tagged);
                        assertThat(m.find()).as(tagged).isTrue();
                        uids.add(Long.parseLong(m.group(1)));
                    }
                }
                return uids;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            List<Long> uids = result.get();
            assertThat(uids).isSorted();
            all.addAll(uids);
        }
        pool.shutdown();
        assertThat(all).hasSize(50).doesNotHaveDuplicates();
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            assertThat(c.command("SELECT INBOX")).contains("* 50 EXISTS");
        }
    }

    @Test
    void moveAnswersCopyUidAndTheOtherSessionSeesTheExpunge() throws Exception {
        try (ImapClient mover = ImapClient.connect(port); ImapClient watcher = ImapClient.connect(port)) {
            mover.login("alice@example.test", "alice-pw");
            watcher.login("alice@example.test", "alice-pw");
            mover.commandWithLiteral("APPEND INBOX ", message("a"), "");
            mover.commandWithLiteral("APPEND INBOX ", message("b"), "");
            watcher.command("SELECT INBOX");
            mover.command("SELECT INBOX");
            List<String> move = mover.command("UID MOVE 1 Archive");
            assertThat(move).anyMatch(l -> l.matches(".*OK \\[COPYUID \\d+ 1 1\\].*"));
            assertThat(move).contains("* 1 EXPUNGE");
            assertThat(ImapClient.status(move)).isEqualTo("OK");
            // the watcher learns of it at its next command
            assertThat(watcher.command("NOOP")).contains("* 1 EXPUNGE");
            assertThat(watcher.command("STATUS Archive (MESSAGES UIDNEXT)")).anyMatch(l -> l.contains("MESSAGES 1") && l.contains("UIDNEXT 2"));
        }
    }

    @Test
    void condstoreAndQresyncResynchroniseAfterChanges() throws Exception {
        try (ImapClient client = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            client.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            for (String subject : List.of("m1", "m2", "m3")) {
                other.commandWithLiteral("APPEND INBOX ", message(subject), "");
            }
            assertThat(ImapClient.status(client.command("ENABLE QRESYNC"))).isEqualTo("OK");
            List<String> select = client.command("SELECT INBOX (CONDSTORE)");
            long validity = number(select, "UIDVALIDITY (\\d+)");
            long modseq = number(select, "HIGHESTMODSEQ (\\d+)");
            client.command("LOGOUT");

            other.command("SELECT INBOX");
            other.command("UID STORE 2 +FLAGS (\\Flagged)");
            other.command("UID STORE 3 +FLAGS (\\Deleted)");
            other.command("EXPUNGE");

            try (ImapClient again = ImapClient.connect(port)) {
                again.login("alice@example.test", "alice-pw");
                again.command("ENABLE QRESYNC");
                List<String> resync = again.command("SELECT INBOX (QRESYNC (" + validity + " " + modseq + " 1:3))");
                assertThat(ImapClient.status(resync)).isEqualTo("OK");
                assertThat(number(resync, "HIGHESTMODSEQ (\\d+)")).isGreaterThan(modseq);
                assertThat(resync).contains("* VANISHED (EARLIER) 3");
                // what changed since the client's last mod-sequence: the flag change (UID 3 is simply gone)
                List<String> changed = again.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + ")");
                assertThat(again.command("UID SEARCH ALL")).contains("* SEARCH 1 2");
                assertThat(changed).anyMatch(l -> l.startsWith("* 2 FETCH") && l.contains("UID 2") && l.contains("\\Flagged")
                    && l.contains("MODSEQ"));
                assertThat(changed).noneMatch(l -> l.contains("UID 1 ") || l.contains("UID 1)"));
            }
        }
    }

    @Test
    void qresyncReportsEveryExpungedUidTheClientKnewIncludingBothEnds() throws Exception {
        try (ImapClient client = ImapClient.connect(port)) {
            client.login("alice@example.test", "alice-pw");
            for (int i = 1; i <= 5; i++) {
                client.commandWithLiteral("APPEND INBOX ", message("m" + i), "");
            }
            client.command("ENABLE QRESYNC");
            List<String> select = client.command("SELECT INBOX");
            long validity = number(select, "UIDVALIDITY (\\d+)");
            long modseq = number(select, "HIGHESTMODSEQ (\\d+)");
            client.command("UID STORE 1,3,5 +FLAGS.SILENT (\\Deleted)");
            client.command("EXPUNGE");
            client.command("UNSELECT");

            List<String> withSet = client.command("SELECT INBOX (QRESYNC (" + validity + " " + modseq + " 1:5))");
            assertThat(withSet).contains("* VANISHED (EARLIER) 1,3,5");
            client.command("UNSELECT");
            List<String> withoutSet = client.command("EXAMINE INBOX (QRESYNC (" + validity + " " + modseq + "))");
            assertThat(withoutSet).contains("* VANISHED (EARLIER) 1,3,5");
            assertThat(ImapClient.status(withoutSet)).isEqualTo("OK");
            client.command("UNSELECT");
            // another UIDVALIDITY: nothing is reported, the client must resynchronise from scratch
            List<String> stale = client.command("SELECT INBOX (QRESYNC (" + (validity + 1) + " " + modseq + " 1:5))");
            assertThat(stale).noneMatch(l -> l.startsWith("* VANISHED"));
        }
    }

    @Test
    void aSessionWhoseSelectedMailboxIsDeletedElsewhereGetsByeAtItsNextCommand() throws Exception {
        try (ImapClient reader = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            reader.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            other.command("CREATE Projects");
            other.commandWithLiteral("APPEND Projects ", message("plan"), "");
            assertThat(reader.command("SELECT Projects")).contains("* 1 EXISTS");
            assertThat(ImapClient.status(other.command("DELETE Projects"))).isEqualTo("OK");
            reader.raw().send("a9 FETCH 1 (FLAGS)");
            assertThat(awaitLine(reader, "^\\* BYE", 5_000)).contains("deleted");
            assertThat(reader.raw().closedByServer()).isTrue();
            // the other session and the account are fine
            assertThat(ImapClient.status(other.command("SELECT INBOX"))).isEqualTo("OK");
        }
    }

    @Test
    void aSessionInIdleWhoseMailboxIsDeletedElsewhereGetsByeAtOnceAndIsClosed() throws Exception {
        try (ImapClient idler = ImapClient.connect(port); ImapClient other = ImapClient.connect(port)) {
            idler.login("alice@example.test", "alice-pw");
            other.login("alice@example.test", "alice-pw");
            other.command("CREATE Projects");
            idler.command("SELECT Projects");
            idler.raw().send("i1 IDLE");
            assertThat(idler.raw().readLine()).startsWith("+");
            assertThat(ImapClient.status(other.command("DELETE Projects"))).isEqualTo("OK");
            assertThat(awaitLine(idler, "^\\* BYE", 2_000)).contains("deleted");
            assertThat(idler.raw().closedByServer()).isTrue();
            assertThat(ImapClient.status(other.command("SELECT INBOX"))).isEqualTo("OK");
        }
    }

    private static long number(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no " + regex + " in " + lines);
    }
}
