package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchBodyStructure;

/** James's MPT "FetchBodyStructure" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptFetchBodyStructureTest extends FetchBodyStructure {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
