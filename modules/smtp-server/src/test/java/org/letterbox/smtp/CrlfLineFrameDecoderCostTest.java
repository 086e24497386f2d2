package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The SMTP line framer costs time linear in its input: a megabyte of short lines in one segment takes about eight
 * times the CPU of 128 KB, not the sixty-four times of a framer that rescans what it has already seen.
 */
class CrlfLineFrameDecoderCostTest {

    private static byte[] shortLines(int bytes) {
        return "NOOP\r\n".repeat(bytes / 6).getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU nanoseconds this thread spends framing {@code input} in one segment; the frames are counted. */
    private static long cpuToFrame(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new CrlfLineFrameDecoder(2048, 65536, Duration.ofMinutes(5),
            Duration.ofMinutes(10)));
        long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        long frames = 0;
        for (ByteBuf frame; (frame = channel.readInbound()) != null; frame.release()) {
            frames++;
        }
        long spent = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start;
        channel.finishAndReleaseAll();
        assertThat(frames).isEqualTo(input.length / 6);
        return spent;
    }

    @Test
    void aMegabyteOfShortLinesInOneSegmentCostsLinearTime() {
        byte[] small = shortLines(128 * 1024);
        byte[] large = shortLines(1024 * 1024);
        for (int i = 0; i < 5; i++) {
            cpuToFrame(small);
            cpuToFrame(large);
        }
        long smallCost = Long.MAX_VALUE;
        long largeCost = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            smallCost = Math.min(smallCost, cpuToFrame(small));
            largeCost = Math.min(largeCost, cpuToFrame(large));
        }
        assertThat((double) largeCost / smallCost).as("CPU for 1 MB over 128 KB of lines").isLessThan(24);
        assertThat(Duration.ofNanos(largeCost)).isLessThan(Duration.ofSeconds(2));
    }
}
