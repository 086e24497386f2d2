package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** POP3 transcripts: CAPA, logins, the maildrop snapshot, UIDL, RETR/TOP, DELE/RSET/QUIT, IN-USE. */
class Pop3SessionTest {

    private Pop3Fixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Pop3Fixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void capaIsRightBeforeTlsAfterTlsAndAfterLogin() throws Exception {
        int strict = fixture.start(b -> b.plaintextLoginOnLoopback(false));
        try (LineClient c = LineClient.connect(strict)) {
            assertThat(c.readLine()).startsWith("+OK");
            c.send("CAPA");
            assertThat(c.readLine()).startsWith("+OK");
            List<String> before = Pop3Fixture.multiline(c);
            assertThat(before).contains("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS")
                .doesNotContain("USER", "SASL PLAIN");
            c.send("USER alice@example.test");
            c.readLine();
            c.send("PASS alice-pw");
            assertThat(c.readLine()).startsWith("-ERR [AUTH]");
            c.send("STLS");
            assertThat(c.readLine()).startsWith("+OK");
            c.startTls();
            c.send("CAPA");
            c.readLine();
            List<String> after = Pop3Fixture.multiline(c);
            assertThat(after).contains("TOP", "UIDL", "USER", "SASL PLAIN").doesNotContain("STLS");
            c.send("USER alice@example.test");
            c.readLine();
            c.send("PASS alice-pw");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("CAPA");
            c.readLine();
            assertThat(Pop3Fixture.multiline(c)).contains("TOP", "UIDL").doesNotContain("STLS");
        }
    }

    @Test
    void authPlainWithAndWithoutInitialResponse() throws Exception {
        String credentials = Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8));
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.send("AUTH PLAIN " + credentials);
            assertThat(c.readLine()).startsWith("+OK");
            c.send("QUIT");
            assertThat(c.readLine()).startsWith("+OK");
        }
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.send("AUTH PLAIN");
            assertThat(c.readLine()).startsWith("+");
            c.send(credentials);
            assertThat(c.readLine()).startsWith("+OK");
        }
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.send("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice@example.test\0wrong".getBytes()));
            assertThat(c.readLine()).startsWith("-ERR [AUTH]");
            c.send("NOOP");
            assertThat(c.readLine()).startsWith("-ERR");
        }
    }

    @Test
    void statListUidlRetrAndTopFollowRfc1939() throws Exception {
        fixture.deliver("one");
        fixture.deliver("two");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("STAT");
            assertThat(c.readLine()).matches("\\+OK 2 \\d+");
            c.send("LIST");
            c.readLine();
            List<String> list = Pop3Fixture.multiline(c);
            assertThat(list).hasSize(2);
            assertThat(list.get(0)).startsWith("1 " + Pop3Fixture.message("one").length);
            c.send("UIDL");
            c.readLine();
            List<String> uidl = Pop3Fixture.multiline(c);
            assertThat(uidl).hasSize(2);
            assertThat(uidl.get(0)).matches("1 \\d+\\.1");
            c.send("RETR 1");
            assertThat(c.readLine()).startsWith("+OK");
            String retrieved = String.join("\r\n", Pop3Fixture.multiline(c)) + "\r\n";
            assertThat(retrieved).isEqualTo(new String(Pop3Fixture.message("one"), StandardCharsets.US_ASCII));
            c.send("TOP 2 0");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(Pop3Fixture.multiline(c)).containsExactly("From: bob@example.test", "Subject: two", "");
            c.send("TOP 2 1");
            c.readLine();
            assertThat(Pop3Fixture.multiline(c)).containsExactly("From: bob@example.test", "Subject: two", "", "Hello");
        }
    }

    @Test
    void deletionsTakeEffectOnlyAtQuitAndTheOtherMessagesKeepTheirUidls() throws Exception {
        fixture.deliver("one");
        fixture.deliver("two");
        fixture.deliver("three");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("DELE 1");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("RETR 1");
            assertThat(c.readLine()).startsWith("-ERR");
            c.send("RSET");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("DELE 2");
            c.readLine();
        }
        // a dropped connection deleted nothing
        assertThat(inboxSize()).isEqualTo(3);
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("DELE 2");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("QUIT");
            assertThat(c.readLine()).startsWith("+OK");
        }
        assertThat(inboxSize()).isEqualTo(2);
        // UIDLs of the others did not change
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("UIDL");
            c.readLine();
            List<String> uidl = Pop3Fixture.multiline(c);
            assertThat(uidl).hasSize(2);
            assertThat(uidl.get(0)).endsWith(".1");
            assertThat(uidl.get(1)).startsWith("2 ").endsWith(".3");
        }
    }

    @Test
    void theMaildropIsASnapshotTakenAtLogin() throws Exception {
        fixture.deliver("before");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            fixture.deliver("during");
            c.send("STAT");
            assertThat(c.readLine()).startsWith("+OK 1 ");
            c.send("QUIT");
            c.readLine();
        }
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("STAT");
            assertThat(c.readLine()).startsWith("+OK 2 ");
        }
    }

    @Test
    void aSecondSessionOnTheSameMaildropGetsInUse() throws Exception {
        try (LineClient first = Pop3Fixture.loggedIn(port); LineClient second = LineClient.connect(port)) {
            second.readLine();
            second.send("USER alice@example.test");
            second.readLine();
            second.send("PASS alice-pw");
            assertThat(second.readLine()).startsWith("-ERR [IN-USE]");
            first.send("QUIT");
            first.readLine();
        }
    }

    @Test
    void badInputGetsErrAndTheSessionStaysUsable() throws Exception {
        fixture.deliver("one");
        try (LineClient c = Pop3Fixture.loggedIn(port)) {
            c.send("FROB");
            assertThat(c.readLine()).startsWith("-ERR");
            c.send("RETR 9");
            assertThat(c.readLine()).startsWith("-ERR");
            c.send("RETR x");
            assertThat(c.readLine()).startsWith("-ERR");
            c.send("TOP 1");
            assertThat(c.readLine()).startsWith("-ERR");
            c.send("STAT");
            assertThat(c.readLine()).startsWith("+OK 1 ");
        }
    }

    private long inboxSize() throws Exception {
        MailboxSession session = fixture.store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        var inbox = fixture.store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        long count = 0;
        var it = inbox.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
        while (it.hasNext()) {
            it.next();
            count++;
        }
        return count;
    }
}
