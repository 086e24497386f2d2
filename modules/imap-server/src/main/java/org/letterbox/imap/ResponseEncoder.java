package org.letterbox.imap;

import java.io.IOException;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.main.DefaultImapEncoderFactory;
import org.apache.james.imap.message.response.AuthenticateResponse;
import org.apache.james.imap.message.response.IdResponse;
import org.apache.james.imap.message.response.QuotaRootResponse;

/** James's response encoders, with the few replies it writes in a form the RFCs do not allow written our way. */
final class ResponseEncoder implements ImapEncoder {

    private final ImapEncoder james = new DefaultImapEncoderFactory().buildImapEncoder();

    @Override
    public void encode(ImapMessage message, ImapResponseComposer composer) throws IOException {
        if (message instanceof AuthenticateResponse) {
            // RFC 3501 §7.5: continue-req = "+" SP (resp-text / base64); James writes "+" alone
            composer.continuationResponse("");
        } else if (message instanceof IdResponse) {
            // RFC 2971 §3.3: the server's parameter list, or NIL; James writes "()", which the grammar has no room for
            composer.untagged().message("ID").nil().end();
        } else if (message instanceof QuotaRootResponse root && root.getQuotaRoot() == null) {
            // RFC 9208 §5.2: a mailbox under no quota has a QUOTAROOT reply that names no root
            composer.untagged().message("QUOTAROOT").mailbox(root.getMailboxName()).end();
        } else {
            james.encode(message, composer);
        }
    }
}
