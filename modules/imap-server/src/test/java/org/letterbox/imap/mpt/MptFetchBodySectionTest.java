package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchBodySection;

/** James's MPT "FetchBodySection" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptFetchBodySectionTest extends FetchBodySection {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
