package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.NonAuthenticatedState;

/** James's MPT "NonAuthenticatedState" scripts over TCP against the live Letterbox IMAP server. */
class MptNonAuthenticatedStateTest extends NonAuthenticatedState {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
