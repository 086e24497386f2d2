package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.SelectedInbox;

/** James's MPT "SelectedInbox" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptSelectedInboxTest extends SelectedInbox {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
