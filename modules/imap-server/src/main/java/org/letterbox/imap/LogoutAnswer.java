package org.letterbox.imap;

import java.util.function.Consumer;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.LogoutRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import reactor.core.publisher.Mono;

/**
 * LOGOUT (RFC 3501 §6.1.3): the BYE and the tagged OK, then the connection closed behind them. The session is
 * logged out when the connection has closed (James's channel handler does that), not before: that handler closes a
 * connection whenever it finds the session logged out at the end of a command, and the end of the command before
 * LOGOUT may come after LOGOUT started (its replies leave first, so a client can send LOGOUT at once). The
 * connection then closed before LOGOUT's own replies were written: about 1 session in 2,000 under load.
 */
final class LogoutAnswer implements ImapStep {

    private final StatusResponseFactory replies = new UnpooledStatusResponseFactory();
    private final Consumer<ImapSession> releaseSlot;

    LogoutAnswer(Consumer<ImapSession> releaseSlot) {
        this.releaseSlot = releaseSlot;
    }

    @Override
    public Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof LogoutRequest logout)) {
            return null;
        }
        return Mono.fromRunnable(() -> {
            responder.respond(replies.bye(HumanReadableText.BYE));
            responder.respond(replies.taggedOk(logout.getTag(), logout.getCommand(), HumanReadableText.COMPLETED));
            responder.flush();
            releaseSlot.accept(session);
            if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof Channel channel) {
                // queued behind the replies just written
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }
}
