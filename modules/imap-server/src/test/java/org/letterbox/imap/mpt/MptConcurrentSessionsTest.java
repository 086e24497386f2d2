package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.ConcurrentSessions;

/** James's MPT "ConcurrentSessions" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptConcurrentSessionsTest extends ConcurrentSessions {

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
