package org.letterbox.imap;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapCommandParser;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import reactor.core.publisher.Mono;

/**
 * A command nobody knows, sent before login, ends the connection with {@code * BYE Unknown command.}, as James does
 * against cross-protocol tricks; but in its turn. James's decoder logged the session out the moment it read such a
 * line, ahead of the commands pipelined before it, which then ran in a logged-out session: their replies came back
 * wrong ({@code a000 NO NOOP failed. Command not valid in this state.}) or not at all, and the connection closed
 * without the BYE (an APPEND refused before login, whose literal is then read as a command, did it 1 time in 10).
 * After login an unknown command gets {@code BAD}, as in James.
 */
record UnknownCommandBeforeLogin(Tag tag) implements ImapMessage {

    /** Stands in for James's parsers when the command name is not one of theirs. */
    record Parser(StatusResponseFactory responses) implements ImapCommandParser {
        @Override
        public ImapMessage parse(ImapRequestLineReader request, Tag tag, ImapSession session) {
            if (session.getState() == ImapSessionState.NON_AUTHENTICATED) {
                return new UnknownCommandBeforeLogin(tag);
            }
            return responses.taggedBad(tag, null, HumanReadableText.UNKNOWN_COMMAND);
        }
    }

    /** Answers it in its turn: the BYE, then the connection closed behind it. */
    static final class Answer implements ImapStep {
        private final StatusResponseFactory replies = new UnpooledStatusResponseFactory();

        @Override
        public Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
            if (!(message instanceof UnknownCommandBeforeLogin)) {
                return null;
            }
            return Mono.fromRunnable(() -> {
                responder.respond(replies.bye(HumanReadableText.BYE_UNKNOWN_COMMAND));
                responder.flush();
                if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof Channel channel) {
                    // queued behind the BYE just written
                    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            });
        }
    }
}
