package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Expunge;

/** James's MPT "Expunge" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptExpungeTest extends Expunge {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
