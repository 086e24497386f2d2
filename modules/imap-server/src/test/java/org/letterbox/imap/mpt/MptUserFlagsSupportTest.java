package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.UserFlagsSupport;

/** James's MPT "UserFlagsSupport" scripts over TCP against the live Letterbox IMAP server. */
class MptUserFlagsSupportTest extends UserFlagsSupport {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
