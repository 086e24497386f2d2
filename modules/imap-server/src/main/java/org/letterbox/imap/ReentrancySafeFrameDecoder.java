package org.letterbox.imap;

import java.util.ArrayDeque;

import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imapserver.netty.ImapRequestFrameDecoder;

import io.netty.channel.ChannelHandlerContext;

/**
 * James's request decoder, made safe against a read that arrives while it is still decoding.
 *
 * <p>When a command line announces a literal, James's decoder removes the line framer in front of it, and Netty then
 * hands over the bytes the framer still held, at once, into the decode call that is still running. If those bytes
 * are part of a literal large enough to be spooled to a file, James writes them to the file and then rewinds the
 * buffer, so they are written twice and the literal never completes: the client waits forever. It happens when a
 * client sends a LITERAL+ command and its literal in one TCP segment. Here such a read waits until the current one
 * is finished.
 */
final class ReentrancySafeFrameDecoder extends ImapRequestFrameDecoder {

    private final ArrayDeque<Object> deferred = new ArrayDeque<>();
    private boolean reading;

    ReentrancySafeFrameDecoder(ImapDecoder decoder, int inMemorySizeLimit, int literalSizeLimit, int maxFrameLength) {
        super(decoder, inMemorySizeLimit, literalSizeLimit, maxFrameLength);
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
