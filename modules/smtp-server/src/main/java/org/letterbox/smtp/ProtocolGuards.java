package org.letterbox.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** Session-level limits: at most N error replies per session, and one answer per over-long command line. */
final class ProtocolGuards {

    private ProtocolGuards() {
    }

    /**
     * Counts the 4xx/5xx replies written to one connection; once a session has had its N errors it is told so
     * ({@code 421 4.7.0}) and closed. Counting what goes on the wire keeps this independent of which handler
     * produced the reply.
     */
    static final class ErrorLimit extends ChannelOutboundHandlerAdapter {
        private static final byte[] CLOSING = "421 4.7.0 Too many errors; closing connection\r\n".getBytes(StandardCharsets.US_ASCII);
        private final int maxErrors;
        private int errors;
        private boolean closing;
        private boolean atLineStart = true;
        private int prefixLength;
        private final byte[] prefix = new byte[4];

        ErrorLimit(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (closing) {
                promise.setSuccess();
                return;
            }
            if (msg instanceof ByteBuf buffer) {
                for (int i = buffer.readerIndex(); i < buffer.writerIndex(); i++) {
                    inspect(buffer.getByte(i));
                }
            }
            ctx.write(msg, promise);
            if (errors >= maxErrors) {
                closing = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(CLOSING)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Tracks the first four bytes of each reply line: "4xx " or "5xx " is a final error line. */
        private void inspect(byte b) {
            if (b == '\n') {
                atLineStart = true;
                prefixLength = 0;
                return;
            }
            if (atLineStart && prefixLength < 4) {
                prefix[prefixLength++] = b;
                if (prefixLength == 4) {
                    atLineStart = false;
                    if ((prefix[0] == '4' || prefix[0] == '5') && Character.isDigit(prefix[1]) && Character.isDigit(prefix[2])
                        && prefix[3] == ' ') {
                        errors++;
                    }
                }
            }
        }
    }

    /** The marker {@link CrlfLineFrameDecoder} substitutes for a command line that was too long. */
    static final class LineTooLong implements CommandHandler<SMTPSession> {
        private static final Response TOO_LONG = new SMTPResponse(SmtpReplies.SYNTAX_ERROR, "5.5.2 Line too long").immutable();

        @Override
        public Response onCommand(SMTPSession session, Request request) {
            return TOO_LONG;
        }

        @Override
        public Collection<String> getImplCommands() {
            return List.of("LINE-TOO-LONG");
        }
    }
}
