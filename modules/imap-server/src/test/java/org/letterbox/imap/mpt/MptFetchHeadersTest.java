package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.FetchHeaders;

/** James's MPT "FetchHeaders" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptFetchHeadersTest extends FetchHeaders {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
