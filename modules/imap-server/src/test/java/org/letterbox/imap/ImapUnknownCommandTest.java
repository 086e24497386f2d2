package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An unknown command before login ends the connection with a BYE, after the replies of every command pipelined
 * before it; after login it gets BAD. (James's decoder logged the session out as soon as it read the line, so the
 * commands before it were answered as if logged out, or not at all.)
 */
class ImapUnknownCommandTest {

    private static ImapFixture fixture;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start(b -> b);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void beforeLoginItIsAnsweredWithByeAfterTheCommandsPipelinedBeforeIt() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            // APPEND is refused before login without its literal being read: the literal is the unknown command
            c.raw().sendRaw("a000 NOOP\r\na001 APPEND INBOX {13+}\r\n13 characters\r\n");
            assertThat(c.raw().readLine()).isEqualTo("a000 OK NOOP completed.");
            assertThat(c.raw().readLine()).isEqualTo("a001 NO APPEND failed. Command not valid in this state.");
            assertThat(c.raw().readLine()).isEqualTo("* BYE Unknown command.");
            assertThat(c.raw().readLine()).isNull();
        }
    }

    @Test
    void afterLoginItGetsBadAndTheSessionGoesOn() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).isEqualTo("a1 OK LOGIN completed.");
            c.raw().send("x FROBNICATE INBOX");
            assertThat(c.raw().readLine()).isEqualTo("x BAD failed. Unknown command.");
            c.raw().send("y NOOP");
            assertThat(c.raw().readLine()).isEqualTo("y OK NOOP completed.");
        }
    }

    @Tag("slow")
    @Test
    void fiveHundredSessionsSendingNoopAppendAndItsLiteralAtOnceAllGetEveryReplyInOrder() throws Exception {
        for (int i = 0; i < 500; i++) {
            try (ImapClient c = ImapClient.connect(port)) {
                c.raw().sendRaw("a000 NOOP\r\n");
                assertThat(c.raw().readLine()).isEqualTo("a000 OK NOOP completed.");
                c.raw().sendRaw("a001 APPEND INBOX {13+}\r\n");
                c.raw().sendRaw("13 characters\r\n");
                assertThat(c.raw().readLine()).as("session %d", i).isEqualTo("a001 NO APPEND failed. Command not valid in this state.");
                assertThat(c.raw().readLine()).as("session %d", i).isEqualTo("* BYE Unknown command.");
            }
        }
    }
}
