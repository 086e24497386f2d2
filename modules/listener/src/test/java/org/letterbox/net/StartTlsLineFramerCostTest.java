package org.letterbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The IMAP and POP3 line framer, with its STARTTLS/STLS injection check, costs time linear in its input: a megabyte of
 * short lines in one segment takes about eight times the CPU of 128 KB. James's framers rescanned the rest of the
 * buffer for every line: 60 times the CPU for 8 times the input, minutes for the megabyte, before any login.
 */
class StartTlsLineFramerCostTest {

    private static byte[] shortLines(int bytes) {
        return "NOOP\r\n".repeat(bytes / 6).getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU nanoseconds this thread spends framing {@code input} in one segment; the frames are counted. */
    private static long cpuToFrame(byte[] input, boolean imap) {
        EmbeddedChannel channel = new EmbeddedChannel(imap
            ? new StartTlsLineFramer(65536, "STARTTLS", true, c -> { })
            : new StartTlsLineFramer(8192, "STLS", false, c -> { }));
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

    @org.junit.jupiter.params.ParameterizedTest(name = "imap={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void aMegabyteOfShortLinesInOneSegmentCostsLinearTime(boolean imap) {
        byte[] small = shortLines(128 * 1024);
        byte[] large = shortLines(1024 * 1024);
        for (int i = 0; i < 5; i++) {
            cpuToFrame(small, imap);
            cpuToFrame(large, imap);
        }
        long smallCost = Long.MAX_VALUE;
        long largeCost = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            smallCost = Math.min(smallCost, cpuToFrame(small, imap));
            largeCost = Math.min(largeCost, cpuToFrame(large, imap));
        }
        assertThat((double) largeCost / smallCost).as("CPU for 1 MB over 128 KB of lines").isLessThan(24);
        assertThat(Duration.ofNanos(largeCost)).isLessThan(Duration.ofSeconds(2));
    }
}
