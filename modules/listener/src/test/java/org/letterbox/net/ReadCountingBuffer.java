package org.letterbox.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A heap buffer that counts the single-byte reads made on it (directly or through its slices and
 * {@code forEachByte}), so that a test can tell a framer that looks at each byte a bounded number of times from one
 * that rescans what it has already seen, without timing anything.
 */
public final class ReadCountingBuffer extends UnpooledHeapByteBuf {

    /** What framing one segment cost: the frames that came out and the single-byte reads made on the input. */
    public record Framing(long frames, long reads) {
    }

    private long reads;

    /** Passes {@code input} through {@code channel} in one segment, releases every frame, and counts. */
    public static Framing frame(EmbeddedChannel channel, byte[] input) {
        ReadCountingBuffer counted = new ReadCountingBuffer(input);
        channel.writeInbound(counted);
        long frames = 0;
        for (ByteBuf frame; (frame = channel.readInbound()) != null; frame.release()) {
            frames++;
        }
        channel.finishAndReleaseAll();
        return new Framing(frames, counted.reads());
    }

    public ReadCountingBuffer(byte[] content) {
        super(UnpooledByteBufAllocator.DEFAULT, content, content.length);
    }

    /** Single-byte reads made so far. */
    public long reads() {
        return reads;
    }

    @Override
    public byte getByte(int index) {
        reads++;
        return super.getByte(index);
    }

    @Override
    protected byte _getByte(int index) {
        reads++;
        return super._getByte(index);
    }
}
