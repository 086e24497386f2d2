package org.letterbox.imap;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.LogoutRequest;
import org.apache.james.imap.message.response.ImmutableStatusResponse;

import reactor.core.publisher.Mono;

/**
 * RFC 3501 §7.1.5: when another session deleted the selected mailbox, the next command (LOGOUT aside) gets a BYE
 * that says why, and the connection is closed, as Dovecot and Cyrus do.
 */
final class DeletedMailboxBye implements ImapStep {

    @Override
    public Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (selected == null || !selected.isDeletedByOtherSession() || message instanceof LogoutRequest) {
            return null;
        }
        return bye(session, responder);
    }

    /** The BYE, the logout and the close; also what IDLE sends when the mailbox goes while it waits. */
    static Mono<Void> bye(ImapSession session, Responder responder) {
        return Mono.fromRunnable(() -> responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BYE, null, null,
                new HumanReadableText("org.letterbox.imap.deleted", "Selected mailbox has been deleted"), null)))
            .then(session.logout())
            .then(Mono.<Void>fromRunnable(() -> {
                responder.flush();
                if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof io.netty.channel.Channel channel
                    && channel.isActive()) {
                    channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }));
    }
}
