package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Select;

/** James's MPT "Select" scripts over TCP against the live Letterbox IMAP server. */
class MptSelectTest extends Select {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
