package org.letterbox.store.account;

import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;

import reactor.core.publisher.Mono;

/**
 * Gives a new account the folders Thunderbird, Outlook and phones look for, subscribed: INBOX, Drafts, Sent,
 * Trash, Junk and Archive. Idempotent: existing folders are left alone.
 */
public final class MailboxProvisioner {

    /** The default folders, in the order they are created. */
    public static final List<String> DEFAULT_FOLDERS = List.of("INBOX", "Drafts", "Sent", "Trash", "Junk", "Archive");

    private final MailboxManager mailboxManager;

    public MailboxProvisioner(MailboxManager mailboxManager) {
        this.mailboxManager = mailboxManager;
    }

    /**
     * The id of {@code user}'s INBOX, made (subscribed) if it does not exist yet: the one find-or-create that
     * delivery, IMAP and POP3 share, through the mailbox manager so that its caches stay right.
     */
    public long inbox(String user) {
        return folder(user, "INBOX");
    }

    /** The id of {@code user}'s folder {@code name} (INBOX, Junk, ...), made (subscribed) if it does not exist yet. */
    public long folder(String user, String name) {
        return ((org.letterbox.store.mailbox.StoreMailboxId) folderEntity(user, name).getMailboxId()).value();
    }

    /**
     * {@code user}'s folder {@code name} (INBOX, Junk, ...), made (subscribed) if it does not exist yet: one look-up
     * when it exists, as it almost always does.
     */
    public Mailbox folderEntity(String user, String name) {
        MailboxSession session = mailboxManager.createSystemSession(Username.of(user));
        try {
            MailboxPath path = name.equalsIgnoreCase("INBOX") ? MailboxPath.inbox(session)
                : MailboxPath.forUser(session.getUser(), name);
            try {
                return mailboxManager.getMailbox(path, session).getMailboxEntity();
            } catch (MailboxNotFoundException absent) {
                try {
                    mailboxManager.createMailbox(path, MailboxManager.CreateOption.CREATE_SUBSCRIPTION, session);
                } catch (MailboxExistsException raced) {
                    // made meanwhile by a concurrent login or delivery
                }
                return mailboxManager.getMailbox(path, session).getMailboxEntity();
            }
        } catch (MailboxException e) {
            throw new AccountException("cannot open the " + name + " of " + user + ": " + e.getMessage());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    public void provision(String user) {
        MailboxSession session = mailboxManager.createSystemSession(Username.of(user));
        try {
            for (String folder : DEFAULT_FOLDERS) {
                MailboxPath path = MailboxPath.forUser(session.getUser(), folder);
                if (Boolean.TRUE.equals(Mono.from(mailboxManager.mailboxExists(path, session)).block())) {
                    continue;
                }
                try {
                    mailboxManager.createMailbox(path, MailboxManager.CreateOption.CREATE_SUBSCRIPTION, session);
                } catch (MailboxExistsException raced) {
                    // created meanwhile by a delivery or another session: fine
                }
            }
        } catch (MailboxException e) {
            throw new AccountException("cannot create the default folders of " + user + ": " + e.getMessage());
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }
}
