package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.AuthenticatePlain;

/** James's MPT "AuthenticatePlain" scripts over TCP against the live Letterbox IMAP server. */
class MptAuthenticatePlainTest extends AuthenticatePlain {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
