package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Listing;

/** James's MPT "Listing" scripts over TCP against the live Letterbox IMAP server. */
class MptListingTest extends Listing {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
