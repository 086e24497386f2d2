package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ListingWithSharingTest;

/** James's MPT "ListingWithSharingTest" scripts over TCP against the live Letterbox IMAP server. */
class MptListingWithSharingTest extends ListingWithSharingTest {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
