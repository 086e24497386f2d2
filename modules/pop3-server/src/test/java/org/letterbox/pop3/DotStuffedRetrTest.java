package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

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
}
