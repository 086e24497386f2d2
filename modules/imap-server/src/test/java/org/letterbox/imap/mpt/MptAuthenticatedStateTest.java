package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.AuthenticatedState;

/** James's MPT "AuthenticatedState" scripts over TCP against the live Letterbox IMAP server. */
class MptAuthenticatedStateTest extends AuthenticatedState {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
