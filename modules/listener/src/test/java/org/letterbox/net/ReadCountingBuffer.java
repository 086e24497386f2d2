package org.letterbox.net;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * A heap buffer that counts the single-byte reads made on it (directly or through its slices and
 * {@code forEachByte}), so that a test can tell a framer that looks at each byte a bounded number of times from one
 * that rescans what it has already seen, without timing anything.
 */
public final class ReadCountingBuffer extends UnpooledHeapByteBuf {

    private long reads;

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
