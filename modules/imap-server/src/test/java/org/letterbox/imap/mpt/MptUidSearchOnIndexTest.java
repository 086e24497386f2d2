package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UidSearchOnIndex;

/** James's MPT "UidSearchOnIndex" scripts over TCP against the live Letterbox IMAP server. */
class MptUidSearchOnIndexTest extends UidSearchOnIndex {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
