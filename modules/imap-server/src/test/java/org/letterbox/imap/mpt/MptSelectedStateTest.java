package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.SelectedState;

/** James's MPT "SelectedState" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptSelectedStateTest extends SelectedState {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
