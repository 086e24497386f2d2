package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.GrantRightsOnHost;
import org.apache.james.mpt.imapmailbox.MailboxMessageAppender;
import org.apache.james.mpt.imapmailbox.suite.ACLCommands;

/** James's MPT "ACLCommands" scripts over TCP against the live Letterbox IMAP server. */
class MptACLCommandsTest extends ACLCommands {
    private LetterboxHostSystem host;

    @Override
    protected ImapHostSystem createImapHostSystem() {
        try {
            host = LetterboxHostSystem.start();
            return host;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected GrantRightsOnHost createGrantRightsOnHost() {
        return host;
    }
}
