package org.letterbox.imap;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.compression.DecompressionException;

/**
 * The client-to-server half of COMPRESS=DEFLATE (RFC 4978): raw DEFLATE, inflated as it arrives and passed on in
 * pieces of at most {@value #CHUNK} bytes, so a small, highly compressed read never becomes one large buffer.
 *
 * <p>It replaces Netty's {@code JZlibDecoder}, which James installs: that decoder gives the inflater at most twice
 * the input's size of room and stops once the input is used up, so when a read inflates to more (mbsync's pipelined
 * {@code UID FETCH} commands, compressed against the ones before) the end of the last command stays inside the
 * inflater until the client sends something else, and the client waits for an answer that never comes.
 */
final class DeflateInflater extends ChannelInboundHandlerAdapter {

    static final String NAME = "letterboxInflater";
    private static final int CHUNK = 16 * 1024;

    private final Inflater inflater = new Inflater(true);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            inflater.setInput(in.nioBuffer());
            while (true) {
                ByteBuf out = ctx.alloc().heapBuffer(CHUNK);
                int produced;
                try {
                    produced = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), CHUNK);
                } catch (DataFormatException e) {
                    out.release();
                    throw new DecompressionException("corrupt DEFLATE stream", e);
                }
                if (produced == 0) {
                    out.release();
                    if (inflater.finished()) {
                        throw new DecompressionException("the client ended its DEFLATE stream");
                    }
                    // the input is used up and nothing is left inside: wait for the next read
                    break;
                }
                out.writerIndex(out.writerIndex() + produced);
                ctx.fireChannelRead(out);
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        inflater.end();
    }
}
