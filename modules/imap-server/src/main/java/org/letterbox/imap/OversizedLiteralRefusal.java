package org.letterbox.imap;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.response.ImmutableStatusResponse;

import reactor.core.publisher.Mono;

/**
 * A literal over {@code imap.preAuthLiteralLimit} announced before login ({@link PreAuthLiteral}): BAD; for a
 * non-synchronizing one, whose bytes are already on their way, also BYE and the end of the connection.
 */
final class OversizedLiteralRefusal implements ImapStep {

    /** How long a refused connection keeps draining what its client still sends. */
    private static final int LINGER_BEFORE_CLOSE_SECONDS = 2;

    @Override
    public Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof PreAuthLiteral.Refusal refusal)) {
            return null;
        }
        HumanReadableText text = new HumanReadableText("org.letterbox.imap.preauthliteral", "Literal too large before login");
        Tag tag = refusal.tag().equals("*") ? null : new Tag(refusal.tag());
        responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BAD, tag, null, text, null));
        if (!refusal.closes()) {
            return Mono.empty();
        }
        // its bytes are on their way unasked: the connection ends, as it cannot be read past them
        responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BYE, null, null, text, null));
        return session.logout().then(Mono.fromRunnable(() -> {
            responder.flush();
            if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof io.netty.channel.Channel channel && channel.isActive()) {
                // Half-close: the client gets BAD, BYE and an end of stream. The decoder discards what it still
                // sends for a moment before the close, which would otherwise reset the connection, and a reset can
                // lose those two replies before the client reads them.
                channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(written -> {
                    if (channel instanceof io.netty.channel.socket.SocketChannel socket) {
                        socket.shutdownOutput();
                        channel.eventLoop().schedule(() -> channel.close(), LINGER_BEFORE_CLOSE_SECONDS,
                            java.util.concurrent.TimeUnit.SECONDS);
                    } else {
                        channel.close();
                    }
                });
            }
        }));
    }
}
