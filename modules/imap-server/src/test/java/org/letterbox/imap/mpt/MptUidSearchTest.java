package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearch;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** James's MPT "UidSearch" scripts over TCP against the live Letterbox IMAP server. */
class MptUidSearchTest extends UidSearch {
    private static final String REASON = "UidSearchAtoms.test and UidSearchCombinations.test: an APPEND literal declares one byte more than the script"
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

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchAtomsITALY() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchAtomsKOREA() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchCombinationsUS() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchCombinationsITALY() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testSearchCombinationsKOREA() {
    }
}
