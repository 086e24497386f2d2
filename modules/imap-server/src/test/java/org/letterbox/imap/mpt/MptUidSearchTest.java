package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearch;

/** James's MPT "UidSearch" scripts over TCP against the live Letterbox IMAP server. */
class MptUidSearchTest extends UidSearch {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
