package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Fetch;

/** James's MPT "Fetch" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptFetchTest extends Fetch {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
