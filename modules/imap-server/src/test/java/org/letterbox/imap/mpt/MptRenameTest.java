package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Rename;

/** James's MPT "Rename" scripts over TCP against the live Letterbox IMAP server. */
class MptRenameTest extends Rename {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            return LetterboxHostSystem.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
