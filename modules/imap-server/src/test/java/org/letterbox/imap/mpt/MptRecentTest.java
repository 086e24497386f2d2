package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Recent;

/** James's MPT "Recent" scripts over TCP against the live Letterbox IMAP server. */
class MptRecentTest extends Recent {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
