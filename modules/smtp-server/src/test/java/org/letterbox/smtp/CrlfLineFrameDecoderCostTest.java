package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.letterbox.net.ReadCountingBuffer;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The SMTP line framer costs work linear in its input: each byte of a megabyte of short lines in one segment is read
 * at most twice (once as the possible CR, once as the possible LF after it), not again for every line after it as a
 * framer that rescans what it has already seen would. Counted reads, unlike CPU time, do not depend on what else the
 * machine is doing.
 */
class CrlfLineFrameDecoderCostTest {

    @Test
    void eachByteOfAMegabyteOfShortLinesIsReadAtMostTwice() {
        byte[] input = "NOOP\r\n".repeat(1024 * 1024 / 6).getBytes(StandardCharsets.US_ASCII);
        ReadCountingBuffer.Framing framing = ReadCountingBuffer.frame(new EmbeddedChannel(new CrlfLineFrameDecoder(2048,
            65536, Duration.ofMinutes(5), Duration.ofMinutes(10))), input);
        assertThat(framing.frames()).isEqualTo(input.length / 6);
        assertThat(framing.reads()).as("single-byte reads of %,d bytes", input.length)
            .isBetween((long) input.length / 2, 2L * input.length);
    }
}
