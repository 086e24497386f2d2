package org.letterbox.imap;

import java.util.Locale;
import java.util.Map;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.MailboxType;
import org.apache.james.imap.api.process.MailboxTyper;
import org.apache.james.mailbox.model.MailboxPath;

/**
 * SPECIAL-USE attributes (RFC 6154) from well-known top-level names, as Thunderbird and Outlook expect:
 * Drafts, Sent, Trash, Junk (or Spam) and Archive.
 */
final class SpecialUseTyper implements MailboxTyper {

    private static final Map<String, MailboxType> TYPES = Map.of(
        "inbox", MailboxType.INBOX,
        "drafts", MailboxType.DRAFTS,
        "sent", MailboxType.SENT,
        "trash", MailboxType.TRASH,
        "junk", MailboxType.SPAM,
        "spam", MailboxType.SPAM,
        "archive", MailboxType.ARCHIVE);

    @Override
    public MailboxType getMailboxType(ImapSession session, MailboxPath path) {
        return TYPES.getOrDefault(path.getName().toLowerCase(Locale.ROOT), MailboxType.OTHER);
    }
}
