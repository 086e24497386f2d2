package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.QuotaTest;

/** James's MPT "QuotaTest" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptQuotaTest extends QuotaTest {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
