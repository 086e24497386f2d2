package org.letterbox.pop3;

import org.letterbox.net.TlsMode;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.MailboxPath;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestTls;

/** A fresh store with alice@example.test and POP3 listeners on ephemeral ports. */
final class Pop3Fixture implements AutoCloseable {

    final MailStore store;
    final List<Pop3Server> servers = new ArrayList<>();

    Pop3Fixture() {
        store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
    }

    int start(UnaryOperator<Pop3Settings.Builder> customize) throws Exception {
        int port = FreePort.next();
        Pop3Settings.Builder builder = Pop3Settings.builder()
            .address(new InetSocketAddress("127.0.0.1", port))
            .hostname("pop.example.test")
            .tls(TlsMode.STARTTLS, TestTls.serverContext())
            .failedLoginDelay(java.time.Duration.ofMillis(100));
        servers.add(Pop3Server.start(customize.apply(builder).build(), store));
        return port;
    }

    int start() throws Exception {
        return start(b -> b);
    }

    /** Appends a message to alice's INBOX directly in the store. */
    void deliver(String subject) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MessageManager inbox = store.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
        inbox.appendMessage(MessageManager.AppendCommand.from(new ByteContent(message(subject))), session);
    }

    static byte[] message(String subject) {
        return ("From: bob@example.test\r\nSubject: " + subject + "\r\n\r\nHello\r\n.starts with a dot\r\nbye\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    static LineClient loggedIn(int port) throws Exception {
        LineClient c = LineClient.connect(port);
        c.readLine();
        c.send("USER alice@example.test");
        c.readLine();
        c.send("PASS alice-pw");
        String answer = c.readLine();
        if (!answer.startsWith("+OK")) {
            throw new AssertionError("login failed: " + answer);
        }
        return c;
    }

    /** Reads a multi-line response (after its +OK line) up to the terminating dot, undoing dot-stuffing. */
    static List<String> multiline(LineClient c) throws Exception {
        List<String> lines = new ArrayList<>();
        String line;
        while (!(line = c.readLine()).equals(".")) {
            lines.add(line.startsWith("..") ? line.substring(1) : line);
        }
        return lines;
    }

    @Override
    public void close() {
        servers.forEach(Pop3Server::closeNow);
        store.close();
    }
}
