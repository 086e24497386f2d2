package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.PartialFetch;

/** James's MPT "PartialFetch" scripts over TCP against the live Letterbox IMAP server. */
class MptPartialFetchTest extends PartialFetch {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
