package org.letterbox.imap;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;
import org.apache.james.imapserver.netty.NettyConstants;
import org.letterbox.net.StartTlsLineFramer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * James's request decoder, made safe against a read that arrives while it is still decoding, with a small cap on
 * literals before login, and with our line framer ({@link StartTlsLineFramer}, linear in its input) in place of
 * James's.
 *
 * <p>When a command line announces a literal, James's decoder removes the line framer in front of it, and Netty then
 * hands over the bytes the framer still held, at once, into the decode call that is still running. If those bytes
 * are part of a literal large enough to be spooled to a file, James writes them to the file and then rewinds the
 * buffer, so they are written twice and the literal never completes: the client waits forever. It happens when a
 * client sends a LITERAL+ command and its literal in one TCP segment. Here such a read waits until the current one
 * is finished.
 */
final class ReentrancySafeFrameDecoder extends ImapRequestFrameDecoder {

    /** James's key, in the decoder's attachment, for the bytes of a literal still to come. */
    private static final String NEEDED_DATA = "NEEDED_DATA";

    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private final int preAuthLiteralLimit;
    private final int maxLineLength;
    private boolean framed = true;
    private boolean reading;
    private boolean discarding;

    ReentrancySafeFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxFrameLength,
                               int preAuthLiteralLimit) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxFrameLength);
        this.preAuthLiteralLimit = preAuthLiteralLimit;
        this.maxLineLength = maxFrameLength;
    }

    /** The line framer IMAP connections start with, and get back after each literal. */
    static StartTlsLineFramer framer(int maxLineLength) {
        return new StartTlsLineFramer(maxLineLength, "STARTTLS", true, channel -> { });
    }

    // James takes the framer out for a literal and puts its own back after it: ours goes back instead
    @Override
    public void disableFraming(ChannelHandlerContext ctx) {
        if (framed) {
            framed = false;
            ctx.channel().pipeline().remove(NettyConstants.FRAMER);
        }
    }

    @Override
    public void enableFraming(ChannelHandlerContext ctx) {
        if (!framed) {
            framed = true;
            ctx.channel().pipeline().addBefore(NettyConstants.REQUEST_DECODER, NettyConstants.FRAMER, framer(maxLineLength));
        }
    }

    /**
     * Before login, a command line that announces a literal larger than {@code preAuthLiteralLimit} is dropped
     * before a byte of the literal is invited or read: a synchronizing one is answered {@code BAD}; a
     * non-synchronizing one, whose bytes are already on their way, also ends the connection, and what follows is
     * discarded unread.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        Map<String, Object> attachment = ctx.channel().attr(NettyConstants.FRAME_DECODE_ATTACHMENT_ATTRIBUTE_KEY).get();
        if (session != null && session.getState() == ImapSessionState.NON_AUTHENTICATED
            && (attachment == null || !attachment.containsKey(NEEDED_DATA))) {
            PreAuthLiteral announced = PreAuthLiteral.announcedAtEnd(in);
            if (announced != null && announced.size() > preAuthLiteralLimit) {
                in.skipBytes(in.readableBytes());
                discarding = announced.nonSynchronizing();
                out.add(new PreAuthLiteral.Refusal(announced.tag(), announced.nonSynchronizing()));
                return;
            }
        }
        super.decode(ctx, in, out);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (reading) {
            deferred.add(msg);
            return;
        }
        reading = true;
        try {
            super.channelRead(ctx, msg);
            Object next;
            while ((next = deferred.poll()) != null) {
                super.channelRead(ctx, next);
            }
        } finally {
            reading = false;
        }
    }
}
