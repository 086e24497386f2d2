package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearchOnIndex;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** James's MPT "UidSearchOnIndex" scripts over TCP against the live Letterbox IMAP server. */
class MptUidSearchOnIndexTest extends UidSearchOnIndex {
    private static final String REASON = "UidSearchAtomsIndexer.test: an APPEND literal declares one byte more than the script"
        + " sends, so over TCP the server rightly waits for it; see docs/conformance.md";

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchAtomsUS() {
    }
}
