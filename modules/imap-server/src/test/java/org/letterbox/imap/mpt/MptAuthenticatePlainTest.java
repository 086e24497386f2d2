package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.AuthenticatePlain;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** James's MPT "AuthenticatePlain" scripts over TCP against the live Letterbox IMAP server. */
class MptAuthenticatePlainTest extends AuthenticatePlain {
    private static final String DELEGATION = "the script expects AUTHENTICATE PLAIN with another user's authorization"
        + " identity to succeed; Letterbox refuses such delegation by design. See docs/conformance.md";

    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }

    @Disabled(DELEGATION)
    @Test
    @Override
    public void testAuthenticatePlainUS() {
    }

    @Disabled(DELEGATION)
    @Test
    @Override
    public void testAuthenticatePlainITALY() {
    }

    @Disabled(DELEGATION)
    @Test
    @Override
    public void testAuthenticatePlainKOREA() {
    }
}
