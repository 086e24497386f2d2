package org.letterbox.imap;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.message.response.QuotaResponse;
import org.apache.james.imap.message.response.QuotaRootResponse;

/**
 * The reply to {@code GETQUOTAROOT}. James names the user's quota root even when it sets no limit, then lists a QUOTA
 * line only for limited resources, so a client is sent to a root that GETQUOTA describes as empty. Here the root is
 * named only when a QUOTA line follows; otherwise the mailbox is reported as under no quota root (RFC 9208 §4.3).
 */
final class QuotaRootReplies implements Responder {

    private final Responder responder;
    private QuotaRootResponse held;

    QuotaRootReplies(Responder responder) {
        this.responder = responder;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        if (message instanceof QuotaRootResponse root) {
            held = root;
            return;
        }
        if (held != null && message instanceof QuotaResponse) {
            responder.respond(held);
            held = null;
        } else if (held != null && message instanceof StatusResponse status && status.getTag() != null) {
            responder.respond(new QuotaRootResponse(held.getMailboxName(), null));
            held = null;
        }
        responder.respond(message);
    }

    @Override
    public void flush() {
        responder.flush();
    }
}
