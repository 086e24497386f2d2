package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Copy;

/** James's MPT "Copy" scripts over TCP against the live Letterbox IMAP server. */
class MptCopyTest extends Copy {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
