package org.letterbox.pop3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.POP3StreamResponse;
import org.apache.james.protocols.pop3.core.POP3MessageCommandArguments;
import org.apache.james.protocols.pop3.core.POP3MessageCommandDelegate;
import org.apache.james.protocols.pop3.mailbox.MessageMetaData;

/**
 * RETR (RFC 1939 §5), dot-stuffed in one pass over the message bytes.
 *
 * <p>Same replies as James's RetrCmdHandler, whose stream wrappers handle one byte per call through three stream
 * layers; on a 20 KB message that was most of the server's CPU in the POP3 load run.
 */
final class DotStuffedRetr implements CommandHandler<POP3Session> {

    private static final List<String> COMMANDS = List.of("RETR");

    private final POP3MessageCommandDelegate delegate = new POP3MessageCommandDelegate(COMMANDS) {
        @Override
        protected Response handleMessageExists(POP3Session session, MessageMetaData data, POP3MessageCommandArguments args)
                throws IOException {
            InputStream content = session.getUserMailbox().getMessage(data.getUid());
            if (content == null) {
                return new POP3Response(POP3Response.ERR_RESPONSE, "Message (" + data.getUid() + ") does not exist.");
            }
            // streamed and stuffed on the way out; the response closes the stream when it is written
            return new POP3StreamResponse(POP3Response.OK_RESPONSE, "Message follows", new DotStuffing(content));
        }
    };

    @Override
    public Response onCommand(POP3Session session, Request request) {
        return delegate.handleMessageRequest(session, request);
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }

    /**
     * The message as it goes on the wire before the final ".", computed as it is read: a "." added to every line
     * that starts with one, and a CRLF at the end if the message lacks it.
     *
     * <p>{@link #available()} counts what is already buffered: James writes a stream response through Netty's
     * {@code ChunkedStream}, which sizes each chunk (one TCP write and flush) by it, so a stream answering 0 went
     * out one byte per segment.
     */
    static final class DotStuffing extends InputStream {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private boolean atLineStart = true;
        private int previous = -1;
        private boolean dotOwed;
        private boolean empty = true;
        /** Bytes of the closing CRLF still to send; -1 until the message has been read to its end. */
        private int tailLeft = -1;

        DotStuffing(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] out, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, out.length);
            if (length == 0) {
                return 0;
            }
            int n = 0;
            while (n < length) {
                if (dotOwed) {
                    dotOwed = false;
                    previous = '.';
                    out[offset + n++] = '.';
                } else if (tailLeft > 0) {
                    out[offset + n++] = (byte) (tailLeft-- == 2 ? '\r' : '\n');
                } else if (tailLeft == 0) {
                    break;
                } else if (position == limit && !fill()) {
                    boolean endsInCrlf = previous == '\n' && atLineStart;
                    tailLeft = empty || endsInCrlf ? 0 : 2;
                } else {
                    int b = buffer[position++] & 0xff;
                    empty = false;
                    if (atLineStart && b == '.') {
                        // the stuffed dot now, the message's own dot next
                        atLineStart = false;
                        dotOwed = true;
                        out[offset + n++] = '.';
                    } else {
                        atLineStart = b == '\n' && previous == '\r';
                        previous = b;
                        out[offset + n++] = (byte) b;
                    }
                }
            }
            return n == 0 ? -1 : n;
        }

        private boolean fill() throws IOException {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            position = 0;
            limit = Math.max(n, 0);
            return n > 0;
        }

        @Override
        public int available() {
            return (limit - position) + (dotOwed ? 1 : 0) + Math.max(tailLeft, 0);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** {@link DotStuffing} over a whole message at once. */
    static byte[] dotStuff(byte[] message) {
        try (DotStuffing stuffed = new DotStuffing(new ByteArrayInputStream(message))) {
            return stuffed.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
