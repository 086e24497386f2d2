package org.letterbox.pop3;

import org.junit.jupiter.api.Tag;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * RETR's dot-stuffing, as it streams, over arbitrary message bytes: what goes on the wire ends in CRLF, has no line
 * that a client would read as the end of the message, and gives back the message exactly when a client unstuffs it.
 * Every build replays the seeds in {@code DotStuffingFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
@Tag("slow")
class DotStuffingFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void whatGoesOnTheWireUnstuffsToTheMessage(byte[] message) {
        byte[] wire = DotStuffedRetr.dotStuff(message);
        if (message.length == 0) {
            check(wire.length == 0, "an empty message stays empty");
            return;
        }
        check(wire.length >= 2 && wire[wire.length - 2] == '\r' && wire[wire.length - 1] == '\n', "ends in CRLF");
        // unstuff as RFC 1939 §3 tells a client to: a line starting with "." loses it; a lone "." would end it
        ByteArrayOutputStream unstuffed = new ByteArrayOutputStream();
        int start = 0;
        for (int i = 0; i < wire.length; i++) {
            if (wire[i] == '\n' && i > 0 && wire[i - 1] == '\r') {
                byte[] line = Arrays.copyOfRange(wire, start, i + 1);
                check(!(line.length == 3 && line[0] == '.'), "no line is a lone dot");
                unstuffed.write(line, line[0] == '.' ? 1 : 0, line.length - (line[0] == '.' ? 1 : 0));
                start = i + 1;
            }
        }
        check(start == wire.length, "nothing after the last CRLF");
        byte[] back = unstuffed.toByteArray();
        boolean endsInCrlf = message.length >= 2 && message[message.length - 2] == '\r' && message[message.length - 1] == '\n';
        byte[] expected = endsInCrlf ? message : concat(message, new byte[] {'\r', '\n'});
        check(Arrays.equals(back, expected), "unstuffs to the message (plus a CRLF it lacked)");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
