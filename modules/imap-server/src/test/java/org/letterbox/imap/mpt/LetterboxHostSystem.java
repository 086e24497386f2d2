package org.letterbox.imap.mpt;

import org.letterbox.store.StoreInternals;
import java.net.InetSocketAddress;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mpt.api.Continuation;
import org.apache.james.mpt.api.ImapFeatures;
import org.apache.james.mpt.api.ImapFeatures.Feature;
import org.apache.james.mpt.api.Session;
import org.apache.james.mpt.host.ExternalHostSystem;
import org.apache.james.mpt.imapmailbox.GrantRightsOnHost;
import org.apache.james.mpt.imapmailbox.MailboxMessageAppender;
import org.apache.james.mpt.monitor.NullMonitor;
import org.apache.james.util.Port;
import org.letterbox.imap.ImapServer;
import org.letterbox.imap.ImapSettings;
import org.letterbox.store.MailStore;
import org.letterbox.store.TestBackend;
import org.letterbox.store.account.PasswordHasher;
import org.letterbox.testing.FreePort;

/**
 * The live Letterbox IMAP server, over TCP, as an MPT host: a fresh store and a listener per test. Users are
 * created the way the scripts name them (bare "imapuser", no domain) straight in the users table.
 */
public final class LetterboxHostSystem extends ExternalHostSystem implements GrantRightsOnHost, MailboxMessageAppender {

    static final ImapFeatures FEATURES = ImapFeatures.of(Feature.NAMESPACE_SUPPORT, Feature.MOVE_SUPPORT,
        Feature.USER_FLAGS_SUPPORT, Feature.QUOTA_SUPPORT, Feature.ANNOTATION_SUPPORT, Feature.MOD_SEQ_SEARCH);

    /** What the scripts expect as the greeting; the server's own greeting line is read and replaced by it. */
    private static final String GREETING = "* OK IMAP4rev1 Server ready";

    private final MailStore store;
    private final ImapServer server;
    private final int port;

    private LetterboxHostSystem(MailStore store, ImapServer server, int port) {
        super(FEATURES, "127.0.0.1", Port.of(port), new NullMonitor(), GREETING,
            (user, password) -> addUser(store, user, password));
        this.store = store;
        this.server = server;
        this.port = port;
    }

    /** {@link #start()} for a suite's {@code createImapHostSystem()}, which cannot throw checked exceptions. */
    public static LetterboxHostSystem forSuite() {
        try {
            return start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the IMAP server for the MPT scripts", e);
        }
    }

    /**
     * The store backend the scripts run on: Derby, or PostgreSQL with {@code -Dletterbox.mpt.backend=postgres} (the
     * {@code mpt-postgres} execution of this module's build).
     */
    static final TestBackend BACKEND = TestBackend.valueOf(
        System.getProperty("letterbox.mpt.backend", "derby").toUpperCase(java.util.Locale.ROOT));

    public static LetterboxHostSystem start() throws Exception {
        // The scripts expect at most 10 annotations of at most 1024 bytes per mailbox, as James's own test hosts have.
        MailStore store = BACKEND.freshStore(BACKEND.sharedConfig().withAnnotationLimits(10, 1024),
            java.time.Clock.systemUTC(), java.util.Set.of());
        int port = FreePort.next();
        ImapServer server = ImapServer.start(ImapSettings.builder()
            .address(new InetSocketAddress("127.0.0.1", port))
            .failedLoginDelay(java.time.Duration.ZERO)
            .build(), store);
        return new LetterboxHostSystem(store, server, port);
    }

    private static void addUser(MailStore store, Username user, String password) {
        String hash = new PasswordHasher(1000).hash(password);
        StoreInternals.database(store).write(c -> {
            try (var insert = c.prepareStatement("INSERT INTO users (username, password_hash, created) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, user.asString());
                insert.setString(2, hash);
                return insert.executeUpdate();
            }
        });
    }

    /**
     * MPT's external session never answers a "+" continuation request and cannot restart; this one tells the script
     * when a continuation came, and restarts by opening a new connection.
     */
    @Override
    public Session newSession(Continuation continuation) throws Exception {
        return new SignallingSession(continuation);
    }

    private Session rawSession(Continuation continuation) throws Exception {
        return new BlockingSession(port);
    }

    /**
     * A script's connection, as James's {@code ExternalSession} behaves (lines out in US-ASCII with CRLF; lines in
     * byte by byte up to LF, CR dropped; the first line read answered with the expected greeting), but reading with a
     * blocking socket: James's polls the socket through Awaitility, and every reply cost up to a tenth of a second of
     * sleep, most of the time the scripts took.
     */
    private static final class BlockingSession implements Session {
        private final java.net.Socket socket;
        private final java.io.InputStream in;
        private final java.io.OutputStream out;
        private boolean first = true;

        BlockingSession(int port) throws java.io.IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        @Override
        public String readLine() throws Exception {
            StringBuilder line = new StringBuilder();
            // at the end of the stream the line ends too, as James's session has it
            for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
                if (b != '\r') {
                    line.append((char) (byte) b);
                }
            }
            if (first) {
                first = false;
                return GREETING;
            }
            return line.toString();
        }

        @Override
        public void writeLine(String line) throws Exception {
            out.write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void start() {
        }

        @Override
        public void restart() {
            throw new UnsupportedOperationException("a script restarts by opening a new session");
        }

        @Override
        public void stop() throws Exception {
            socket.close();
        }

        @Override
        public void await() throws Exception {
            java.util.concurrent.TimeUnit.SECONDS.sleep(5); // as James's session: the scripts' AWAIT
        }
    }

    private final class SignallingSession implements Session {
        private final Continuation continuation;
        private Session session;

        SignallingSession(Continuation continuation) throws Exception {
            this.continuation = continuation;
            this.session = rawSession(continuation);
        }

        @Override
        public String readLine() throws Exception {
            String line = session.readLine();
            if (line.startsWith("+")) {
                continuation.doContinue();
            }
            return line;
        }

        @Override
        public void writeLine(String line) throws Exception {
            session.writeLine(line);
        }

        @Override
        public void start() throws Exception {
            session.start();
        }

        @Override
        public void restart() throws Exception {
            session.stop();
            session = rawSession(continuation);
            session.start();
            // a restarted in-process session has no greeting; swallow the new connection's
            session.readLine();
        }

        @Override
        public void stop() throws Exception {
            session.stop();
        }

        @Override
        public void await() throws Exception {
            session.await();
        }
    }

    @Override
    public void createMailbox(MailboxPath path) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(path.getUser());
        store.mailboxManager().createMailbox(path, session);
    }

    @Override
    public void setQuotaLimits(QuotaCountLimit maxMessages, QuotaSizeLimit maxStorage) throws Exception {
        store.maxQuotaManager().setGlobalMaxMessage(maxMessages);
        store.maxQuotaManager().setGlobalMaxStorage(maxStorage);
    }

    @Override
    public void grantRights(MailboxPath path, Username user, MailboxACL.Rfc4314Rights rights) throws Exception {
        MailboxSession session = store.mailboxManager().createSystemSession(path.getUser());
        store.mailboxManager().applyRightsCommand(path,
            MailboxACL.command().forUser(user).rights(rights).asAddition(), session);
    }

    /** Four messages, unflagged, \\Seen, \\Flagged and \\Deleted, as the ACL scripts expect. */
    @Override
    public void fillMailbox(MailboxPath path) {
        try {
            MailboxSession session = store.mailboxManager().createSystemSession(path.getUser());
            var mailbox = store.mailboxManager().getMailbox(path, session);
            String message = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.COM>\r\n"
                + "Subject: afternoon meeting 2\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.COM>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, could we change that to 4:00pm tomorrow?\r\n";
            for (javax.mail.Flags flags : new javax.mail.Flags[] {new javax.mail.Flags(), new javax.mail.Flags(javax.mail.Flags.Flag.SEEN),
                    new javax.mail.Flags(javax.mail.Flags.Flag.FLAGGED), new javax.mail.Flags(javax.mail.Flags.Flag.DELETED)}) {
                mailbox.appendMessage(org.apache.james.mailbox.MessageManager.AppendCommand.builder().withFlags(flags)
                    .build(message), session);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterTest() throws Exception {
        server.closeNow();
        store.close();
    }
}
