package org.letterbox.store.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxAnnotation;
import org.apache.james.mailbox.model.MailboxAnnotationKey;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.StoreInternals;
import org.letterbox.store.TestBackend;
import org.letterbox.store.delivery.MailDelivery;
import org.letterbox.store.dkim.DkimKeyStore;
import org.letterbox.store.jdbc.Database;

/** A Derby store with something of everything, copied into an empty PostgreSQL database. */
class StoreCopyTest {

    @TempDir
    Path dir;

    /** What a client remembers of a mailbox: UIDVALIDITY, and each message's UID, mod-sequence and flags. */
    private record MailboxState(String name, long uidValidity, long highestModSeq, List<String> messages) {
    }

    /** Progress nobody watches. */
    private static final StoreCopy.Progress QUIET = new StoreCopy.Progress() {
        @Override
        public void copied(String table, long rows, long total) {
        }

        @Override
        public void verifying(String table) {
        }
    };

    @Test
    void aDerbyStoreCopiedToPostgresKeepsUidValidityUidsModSeqsFlagsAndBytes() throws Exception {
        StoreConfig derby = TestBackend.DERBY.config(dir.resolve("derby"));
        byte[] big = message("big", 2 * 1024 * 1024 + 77);
        List<MailboxState> before;
        try (MailStore store = MailStore.open(derby)) {
            fill(store, big);
            before = states(store);
        }

        StoreConfig postgres = TestBackend.POSTGRES.config(dir.resolve("pg"));
        List<String> progress = new ArrayList<>();
        StoreCopy.Report report;
        try (Database source = MailStore.openDatabase(derby); Database target = MailStore.openDatabase(postgres)) {
            report = StoreCopy.copy(source, target, new StoreCopy.Progress() {
                @Override
                public void copied(String table, long rows, long total) {
                    progress.add(table + " " + rows + "/" + total);
                }

                @Override
                public void verifying(String table) {
                    progress.add("verify " + table);
                }
            });
        }
        assertThat(report.tables()).extracting(StoreCopy.TableReport::table).contains("mailboxes", "messages", "message_content",
            "mailbox_acl", "annotations", "subscriptions", "quota_max", "outbound_queue", "dkim_keys", "aliases");
        assertThat(report.contentBytes()).isGreaterThan(big.length);
        // three messages left in the INBOX, their three copies in Archive
        assertThat(progress).contains("messages 6/6", "message_content 4/4", "verify messages");

        try (MailStore copy = MailStore.open(postgres)) {
            assertThat(states(copy)).isEqualTo(before);
            MailboxSession session = copy.mailboxManager().createSystemSession(Username.of("alice@example.test"));
            MessageManager inbox = copy.mailboxManager().getMailbox(MailboxPath.inbox(session), session);
            try (InputStream bytes = inbox.getMessages(MessageRange.one(org.apache.james.mailbox.MessageUid.of(3)),
                    FetchGroup.FULL_CONTENT, session).next().getFullContent().getInputStream()) {
                assertThat(bytes.readAllBytes()).isEqualTo(big);
            }
            assertThat(copy.accounts().userExists("bob@example.test")).isTrue();
            assertThat(copy.credentials().verifyNow("alice@example.test", "alice-pw")).isPresent();
            assertThat(copy.accounts().resolve("postmaster@example.test")).isNotEmpty();
            assertThat(copy.subscriptionManager().subscriptions(session)).isNotEmpty();
            assertThat(copy.mailboxManager().getAllAnnotations(MailboxPath.inbox(session), session)).hasSize(1);
            assertThat(copy.dkimKeys().keys("example.test")).hasSize(1);
            assertThat(copy.queue().claimDue(Instant.now().plusSeconds(60), 10, java.time.Duration.ofMinutes(1))).hasSize(1);
            // new mailboxes and queue entries are numbered after the copied ones
            copy.createUser("carol@example.test", "carol-pw");
            assertThat(copy.inbox("carol@example.test")).isGreaterThan(copy.inbox("bob@example.test"));
            // new messages continue each mailbox's UIDs
            byte[] next = message("after the move", 100);
            MailDelivery.Delivered delivered = copy.delivery().deliver("x@remote.example", List.of("alice@example.test"), List.of(),
                () -> new ByteArrayInputStream(next), next.length).local().get(0);
            assertThat(delivered.uid()).isEqualTo(5);
        }
    }

    @Test
    void aTargetThatIsNotEmptyIsRefusedBeforeAnythingIsCopied() throws Exception {
        StoreConfig derby = TestBackend.DERBY.config(dir.resolve("derby"));
        StoreConfig postgres = TestBackend.POSTGRES.config(dir.resolve("pg"));
        try (MailStore store = MailStore.open(derby)) {
            store.accounts().addDomain("example.test");
        }
        try (MailStore other = MailStore.open(postgres)) {
            other.accounts().addDomain("other.test");
        }
        try (Database source = MailStore.openDatabase(derby); Database target = MailStore.openDatabase(postgres)) {
            assertThatThrownBy(() -> StoreCopy.copy(source, target, QUIET)).hasMessageContaining("the target is not empty: domains has 1 rows");
        }
    }

    @Test
    void aCopyThatDiffersFromItsSourceIsReportedAsAMismatch() throws Exception {
        StoreConfig derby = TestBackend.DERBY.config(dir.resolve("derby"));
        StoreConfig postgres = TestBackend.POSTGRES.config(dir.resolve("pg"));
        try (MailStore store = MailStore.open(derby)) {
            store.accounts().addDomain("example.test");
            store.createUser("alice@example.test", "alice-pw");
        }
        try (Database source = MailStore.openDatabase(derby); Database target = MailStore.openDatabase(postgres)) {
            assertThatThrownBy(() -> StoreCopy.copy(source, target, new StoreCopy.Progress() {
                @Override
                public void copied(String table, long rows, long total) {
                }

                @Override
                public void verifying(String table) {
                    if (table.equals("users")) {
                        // what a copy gone wrong would leave: one password hash that is not the source's
                        target.write(c -> {
                            try (java.sql.Statement change = c.createStatement()) {
                                return change.executeUpdate("UPDATE users SET password_hash = 'not-the-same'"
                                    + " WHERE username = 'alice@example.test'");
                            }
                        });
                    }
                }
            })).isInstanceOf(StoreCopy.Mismatch.class).hasMessageStartingWith("users: 1 rows (")
                .hasMessageContaining(") in the source, 1 (");
        }
    }

    private static void fill(MailStore store, byte[] big) throws Exception {
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
        store.createUser("bob@example.test", "bob-pw");
        store.accounts().addAlias("postmaster@example.test", "alice@example.test");
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        MailboxPath inboxPath = MailboxPath.inbox(session);
        MessageManager inbox = store.mailboxManager().getMailbox(inboxPath, session);
        for (int i = 1; i <= 4; i++) {
            byte[] bytes = i == 3 ? big : message("m" + i, 300);
            inbox.appendMessage(MessageManager.AppendCommand.builder().withFlags(new Flags("keyword" + i))
                .build(new ByteContent(bytes)), session);
        }
        // a gap in the UIDs and mod-sequences moved on by flag changes
        inbox.delete(List.of(org.apache.james.mailbox.MessageUid.of(2)), session);
        inbox.setFlags(new Flags(Flags.Flag.SEEN), MessageManager.FlagsUpdateMode.ADD, MessageRange.all(), session);
        store.mailboxManager().copyMessages(MessageRange.all(), inboxPath, MailboxPath.forUser(Username.of("alice@example.test"), "Archive"), session);
        store.subscriptionManager().subscribe(session, MailboxPath.forUser(Username.of("alice@example.test"), "Archive"));
        store.mailboxManager().updateAnnotations(inboxPath, session,
            List.of(MailboxAnnotation.newInstance(new MailboxAnnotationKey("/private/comment"), "kept")));
        store.mailboxManager().applyRightsCommand(inboxPath, MailboxACL.command().forUser(Username.of("bob@example.test"))
            .rights(MailboxACL.Right.Read).asAddition(), session);
        store.dkimKeys().add(List.of(new DkimKeyStore.StoredKey("example.test", "s1", "rsa-sha256", new byte[] {1, 2, 3},
            "cHVibGlj", Instant.now(), DkimKeyStore.State.ACTIVE, Instant.now())));
        byte[] outbound = message("out", 200);
        store.delivery().deliver("alice@example.test", List.of(), List.of("someone@remote.example"),
            () -> new ByteArrayInputStream(outbound), outbound.length);
    }

    private static List<MailboxState> states(MailStore store) throws Exception {
        List<MailboxState> states = new ArrayList<>();
        MailboxSession session = store.mailboxManager().createSystemSession(Username.of("alice@example.test"));
        for (String name : List.of("INBOX", "Archive", "Sent")) {
            MessageManager mailbox = store.mailboxManager().getMailbox(MailboxPath.forUser(Username.of("alice@example.test"), name), session);
            MessageManager.MailboxMetaData meta = mailbox.getMetaData(MessageManager.MailboxMetaData.RecentMode.IGNORE, session,
                MessageManager.MailboxMetaData.FetchGroup.NO_COUNT);
            List<String> messages = new ArrayList<>();
            mailbox.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session).forEachRemaining(result ->
                messages.add(result.getUid().asLong() + " " + result.getModSeq().asLong() + " " + result.getFlags()));
            states.add(new MailboxState(name, meta.getUidValidity().asLong(), meta.getHighestModSeq().asLong(), messages));
        }
        return states;
    }

    private static byte[] message(String subject, int bodySize) {
        StringBuilder body = new StringBuilder();
        while (body.length() < bodySize) {
            body.append("line of ").append(subject).append(' ').append(body.length()).append("\r\n");
        }
        return ("From: a@example.net\r\nTo: alice@example.test\r\nSubject: " + subject + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.UTF_8);
    }
}
