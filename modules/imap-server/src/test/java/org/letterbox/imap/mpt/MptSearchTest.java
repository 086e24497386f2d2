package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Search;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** James's MPT "Search" scripts over TCP against the live Letterbox IMAP server. */
class MptSearchTest extends Search {
    private static final String REASON = "SearchAtoms.test and SearchCombinations.test: an APPEND literal declares one byte more than the script"
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

    @Disabled("SearchOptionSave.test expects an untagged '* SEARCH 1' for 'SEARCH RETURN (SAVE) FLAGGED'; RFC 5182 §2.1"
        + " (and its example A282) answers SAVE alone with the tagged OK only, which we do (ImapRfcBehavioursTest;"
        + " docs/conformance.md)")
    @Test
    @Override
    public void testSearchOptionSaveUS() {
    }
}
