package org.letterbox.smtp;

import org.letterbox.net.TlsMode;

import org.letterbox.store.StoreInternals;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestTls;

import reactor.core.publisher.Mono;

/**
 * A fresh store with domain example.test (alice, bob; aliases team@ → alice+bob, sales@ → alice,
 * outside@ → someone@remote.test; catch-all @catchall.test → bob) and SMTP listeners on ephemeral ports.
 */
final class SmtpFixture implements AutoCloseable {

    final MailStore store;
    final List<SmtpServer> servers = new ArrayList<>();

    SmtpFixture() {
        store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.accounts().addDomain("catchall.test");
        store.accounts().addUser("alice@example.test", "alice-pw");
        store.accounts().addUser("bob@example.test", "bob-pw");
        store.accounts().addAlias("team@example.test", "alice@example.test");
        store.accounts().addAlias("team@example.test", "bob@example.test");
        store.accounts().addAlias("sales@example.test", "alice@example.test");
        store.accounts().addAlias("outside@example.test", "someone@remote.test");
        store.accounts().addAlias("@catchall.test", "bob@example.test");
    }

    /** Starts a listener; {@code customize} adjusts the defaults (MX, STARTTLS, test certificate). */
    int start(UnaryOperator<SmtpSettings.Builder> customize) throws Exception {
        int port = FreePort.next();
        SmtpSettings.Builder builder = SmtpSettings.builder()
            .address(new InetSocketAddress("127.0.0.1", port))
            .hostname("mx.example.test")
            .tls(TlsMode.STARTTLS, TestTls.serverContext())
            .failedLoginDelay(java.time.Duration.ofMillis(50));
        servers.add(SmtpServer.start(customize.apply(builder).build(), store));
        return port;
    }

    int startMx() throws Exception {
        return start(b -> b);
    }

    int startSubmission() throws Exception {
        return start(b -> b.role(SmtpSettings.Role.SUBMISSION));
    }

    /** Full bytes of every message in the user's INBOX, in UID order. */
    List<byte[]> inbox(String user) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of(user));
        MailboxPath inbox = MailboxPath.inbox(session);
        List<byte[]> result = new ArrayList<>();
        if (!Mono.from(store.mailboxManager().mailboxExists(inbox, session)).block()) {
            return result;
        }
        MessageManager mailbox = store.mailboxManager().getMailbox(inbox, session);
        var messages = mailbox.getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (messages.hasNext()) {
            try (InputStream in = messages.next().getFullContent().getInputStream()) {
                result.add(in.readAllBytes());
            }
        }
        return result;
    }

    List<String> inboxText(String user) throws Exception {
        return inbox(user).stream().map(bytes -> new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    /** Rows of the outbound queue as "sender -> recipient". */
    List<String> queue() {
        return StoreInternals.database(store).read(c -> {
            List<String> rows = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT sender, recipient FROM outbound_queue ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " -> " + rs.getString(2));
                }
            }
            return rows;
        });
    }

    @Override
    public void close() {
        servers.forEach(SmtpServer::close);
        store.close();
    }
}
