package org.letterbox.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.protocols.pop3.mailbox.Mailbox;
import org.apache.james.protocols.pop3.mailbox.MessageMetaData;
import org.letterbox.store.MailStore;

/**
 * A user's INBOX as a POP3 maildrop: a snapshot taken at login (RFC 1939: mail arriving during the session shows
 * up in the next one). Listing reads metadata only, never bodies. UIDL is {@code UIDVALIDITY.UID}, stable across
 * sessions and restarts and unaffected by other deletions. Deletions are expunges, so IMAP sessions see them.
 * Every store call runs on the store's executor.
 */
final class InboxMaildrop implements Mailbox {

    private final MailboxManager mailboxManager;
    private final MailboxSession session;
    private final MessageManager inbox;
    private final MailStore store;
    private final List<MessageMetaData> snapshot;
    private final String validity;
    private final Runnable onClose;
    private boolean closed;

    private InboxMaildrop(MailboxManager mailboxManager, MailboxSession session, MessageManager inbox, MailStore store,
                          List<MessageMetaData> snapshot, String validity, Runnable onClose) {
        this.mailboxManager = mailboxManager;
        this.session = session;
        this.inbox = inbox;
        this.store = store;
        this.snapshot = snapshot;
        this.validity = validity;
        this.onClose = onClose;
    }

    /** Opens the user's INBOX (creating it if it does not exist yet) and takes the snapshot. */
    static InboxMaildrop open(MailboxManager mailboxManager, String user, MailStore store, Runnable onClose)
            throws IOException {
        return call(store, () -> {
            MailboxSession session = mailboxManager.createSystemSession(org.apache.james.core.Username.of(user));
            MessageManager inbox = mailboxManager.getMailbox(
                org.letterbox.store.mailbox.StoreMailboxId.of(store.inbox(user)), session);
            String validity = Long.toString(inbox.getMailboxEntity().getUidValidity().asLong());
            List<MessageMetaData> snapshot = new ArrayList<>();
            var results = inbox.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
            while (results.hasNext()) {
                MessageResult result = results.next();
                snapshot.add(new MessageMetaData(validity + "." + result.getUid().asLong(), result.getSize()));
            }
            return new InboxMaildrop(mailboxManager, session, inbox, store, List.copyOf(snapshot), validity, onClose);
        });
    }

    @Override
    public InputStream getMessage(String uid) throws IOException {
        MessageUid messageUid = parse(uid);
        long mailboxId = ((org.letterbox.store.mailbox.StoreMailboxId) inbox.getId()).value();
        // Straight from the content table: RETR and TOP need the bytes, not James's parsed message.
        // a large message comes as a spooled file stream, never whole in the heap
        return call(store, () -> store.messageContent(mailboxId, messageUid.asLong()).orElse(null));
    }

    @Override
    public List<MessageMetaData> getMessages() {
        return snapshot;
    }

    @Override
    public void remove(String... uids) throws IOException {
        if (uids.length == 0) {
            return;
        }
        List<MessageUid> toDelete = new ArrayList<>();
        for (String uid : uids) {
            toDelete.add(parse(uid));
        }
        call(store, () -> {
            inbox.delete(toDelete, session);
            return null;
        });
    }

    @Override
    public String getIdentifier() {
        return validity;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            mailboxManager.endProcessingRequest(session);
            onClose.run();
        }
    }

    private MessageUid parse(String uid) throws IOException {
        int dot = uid.indexOf('.');
        if (dot < 0 || !uid.substring(0, dot).equals(validity)) {
            throw new IOException("unknown message " + uid);
        }
        return MessageUid.of(Long.parseLong(uid.substring(dot + 1)));
    }

    /** Runs store work on the store's executor; failures become IOExceptions, as POP3's Mailbox API wants. */
    static <T> T call(MailStore store, Callable<T> work) throws IOException {
        try {
            return store.call(work);
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
