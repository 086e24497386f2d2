package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.MailboxWithLongNameError;

/** James's MPT "MailboxWithLongNameError" scripts over TCP against the live Letterbox IMAP server. */
class MptMailboxWithLongNameErrorTest extends MailboxWithLongNameError {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
