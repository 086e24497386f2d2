package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ObjectId;

/** James's MPT "ObjectId" scripts over TCP against the live Letterbox IMAP server. */
class MptObjectIdTest extends ObjectId {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
