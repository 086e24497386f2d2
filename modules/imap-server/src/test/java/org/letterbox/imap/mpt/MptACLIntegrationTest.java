package org.letterbox.imap.mpt;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.GrantRightsOnHost;
import org.apache.james.mpt.imapmailbox.MailboxMessageAppender;
import org.apache.james.mpt.imapmailbox.suite.ACLIntegration;

/** James's MPT "ACLIntegration" scripts over TCP against the live Letterbox IMAP server. */
class MptACLIntegrationTest extends ACLIntegration {
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

    @Override
    protected MailboxMessageAppender createMailboxMessageAppender() {
        return host;
    }
}
