package org.letterbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The IMAP and POP3 line framer, with its STARTTLS/STLS injection check, costs work linear in its input: a megabyte
 * of short lines in one segment is read a bounded number of times per byte, and makes the framing thread allocate
 * about eight times what 128 KB does. James's framers copied the rest of the buffer into a string for every line:
 * quadratic in the input, minutes of CPU for the megabyte, before any login. Reads and allocated bytes, unlike CPU
 * time, do not depend on what else the machine is doing.
 */
class StartTlsLineFramerCostTest {

    private static byte[] shortLines(int bytes) {
        return "NOOP\r\n".repeat(bytes / 6).getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes this thread allocates framing {@code input} in one segment; the frames are counted. */
    private static long allocatedToFrame(byte[] input, boolean imap) {
        EmbeddedChannel channel = new EmbeddedChannel(imap
            ? new StartTlsLineFramer(65536, "STARTTLS", true, c -> { })
            : new StartTlsLineFramer(8192, "STLS", false, c -> { }));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadAllocatedBytes();
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        long frames = 0;
        for (ByteBuf frame; (frame = channel.readInbound()) != null; frame.release()) {
            frames++;
        }
        long spent = threads.getCurrentThreadAllocatedBytes() - start;
        channel.finishAndReleaseAll();
        assertThat(frames).isEqualTo(input.length / 6);
        return spent;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "imap={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void eachByteOfAMegabyteOfShortLinesIsReadAtMostTwice(boolean imap) {
        byte[] input = shortLines(1024 * 1024);
        ReadCountingBuffer.Framing framing = ReadCountingBuffer.frame(new EmbeddedChannel(imap
            ? new StartTlsLineFramer(65536, "STARTTLS", true, c -> { })
            : new StartTlsLineFramer(8192, "STLS", false, c -> { })), input);
        assertThat(framing.frames()).isEqualTo(input.length / 6);
        assertThat(framing.reads()).as("single-byte reads of %,d bytes", input.length)
            .isBetween((long) input.length / 2, 2L * input.length);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "imap={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aMegabyteOfShortLinesInOneSegmentCostsLinearWork(boolean imap) {
        byte[] small = shortLines(128 * 1024);
        byte[] large = shortLines(1024 * 1024);
        for (int i = 0; i < 5; i++) {
            allocatedToFrame(small, imap);
            allocatedToFrame(large, imap);
        }
        long smallCost = Long.MAX_VALUE;
        long largeCost = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            smallCost = Math.min(smallCost, allocatedToFrame(small, imap));
            largeCost = Math.min(largeCost, allocatedToFrame(large, imap));
        }
        System.out.printf("framing allocated %,d bytes for 128 KB, %,d for 1 MB%n", smallCost, largeCost);
        assertThat((double) largeCost / smallCost).as("bytes allocated for 1 MB over 128 KB of lines").isBetween(4.0, 12.0);
        assertThat(largeCost).as("bytes allocated framing 1 MB of lines").isLessThan(64L * 1024 * 1024);
    }
}
