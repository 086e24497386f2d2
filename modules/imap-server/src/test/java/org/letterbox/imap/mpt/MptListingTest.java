package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Listing;

/** James's MPT "Listing" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptListingTest extends Listing {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
