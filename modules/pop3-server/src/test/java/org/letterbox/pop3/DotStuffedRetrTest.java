package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.stream.ChunkedStream;
import org.junit.jupiter.api.Test;

/** RFC 1939 §3 byte-stuffing of RETR output. */
class DotStuffedRetrTest {

    private static String stuff(String message) {
        return new String(DotStuffedRetr.dotStuff(message.getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII);
    }

    @Test
    void linesStartingWithADotGetAnotherAndOthersAreUntouched() {
        assertThat(stuff(".first\r\nmid.dle\r\n.\r\n..two\r\n")).isEqualTo("..first\r\nmid.dle\r\n..\r\n...two\r\n");
    }

    @Test
    void aMessageWithoutAFinalCrlfGetsOne() {
        assertThat(stuff("a\r\n.b")).isEqualTo("a\r\n..b\r\n");
    }

    @Test
    void aBareLfDoesNotStartANewLine() {
        assertThat(stuff("a\n.b\r\n")).isEqualTo("a\n.b\r\n");
    }

    private static final int CHUNK = 8192;

    @Test
    void nettysChunkedWriterSendsEightKilobyteChunksNotOneBytePerWrite() throws Exception {
        String line = ".dotted line of the message body\r\n";
        byte[] message = line.repeat(600).getBytes(StandardCharsets.US_ASCII);
        java.util.List<Integer> chunkSizes = new java.util.ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        // as James's NettyProtocolTransport writes a stream response
        ChunkedStream chunks = new ChunkedStream(new DotStuffedRetr.DotStuffing(new ByteArrayInputStream(message)), CHUNK);
        while (!chunks.isEndOfInput()) {
            ByteBuf chunk = chunks.readChunk(ByteBufAllocator.DEFAULT);
            chunkSizes.add(chunk.readableBytes());
            chunk.readBytes(wire, chunk.readableBytes());
            chunk.release();
        }
        chunks.close();
        assertThat(wire.toByteArray()).isEqualTo(DotStuffedRetr.dotStuff(message));
        int stuffed = message.length + 600;
        // full chunks while input is buffered; the stuffed dots beyond the buffered input go in at most two more
        int full = stuffed / CHUNK;
        assertThat(chunkSizes.subList(0, full)).containsOnly(CHUNK);
        assertThat(chunkSizes.size()).isBetween(full + 1, full + 3);
    }

    @Test
    void anEmptyMessageStaysEmpty() {
        assertThat(stuff("")).isEmpty();
    }

    @Test
    void aMessageEndingInCrlfGetsNoSecondOne() {
        assertThat(stuff("a\r\n")).isEqualTo("a\r\n");
    }
}
