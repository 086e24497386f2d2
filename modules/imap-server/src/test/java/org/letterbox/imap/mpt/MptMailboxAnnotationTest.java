package org.letterbox.imap.mpt;

import org.junit.jupiter.api.Tag;

import org.apache.james.mpt.api.ImapHostSystem;
import org.apache.james.mpt.imapmailbox.suite.MailboxAnnotation;

/** James's MPT "MailboxAnnotation" scripts over TCP against the live Letterbox IMAP server. */
@Tag("slow")
class MptMailboxAnnotationTest extends MailboxAnnotation {
    @Override
    protected ImapHostSystem createImapHostSystem() {
        return LetterboxHostSystem.forSuite();
    }
}
