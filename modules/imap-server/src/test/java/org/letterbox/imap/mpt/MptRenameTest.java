package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.Rename;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** James's MPT "Rename" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptRenameTest extends Rename {
    private static final String REASON = "Rename.test: an APPEND literal declares one byte more than the script"
        + " sends, so over TCP the server rightly waits for it; see docs/conformance.md";

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testRenameUS() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testRenameKOREA() {
    }

    @Disabled(REASON)
    @Test
    @Override
    public void testRenameITALY() {
    }
}
