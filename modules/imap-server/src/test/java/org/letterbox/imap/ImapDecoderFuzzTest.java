package org.letterbox.imap;

import org.junit.jupiter.api.Tag;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.decode.ImapRequestStreamLineReader;
import org.apache.james.imap.encode.FakeImapSession;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The IMAP command decoder our listeners use, fed arbitrary bytes, before and after login: it must answer every input
 * with a message (a BAD is fine) and never throw, since a throw ends the client's connection. Every build replays
 * the seeds in {@code ImapDecoderFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
@Tag("slow")
class ImapDecoderFuzzTest {

    private static final ImapDecoder DECODER = CommandParsers.decoder();

    @FuzzTest(maxDuration = "60s")
    void everyCommandLineIsAnsweredWithoutAThrow(byte[] line) {
        for (boolean loggedIn : new boolean[] {false, true}) {
            FakeImapSession session = new FakeImapSession();
            if (loggedIn) {
                session.authenticated();
            }
            ImapRequestStreamLineReader reader = new ImapRequestStreamLineReader(new ByteArrayInputStream(line),
                OutputStream.nullOutputStream());
            ImapMessage message = DECODER.decode(reader, session);
            if (message == null) {
                throw new AssertionError("no answer for " + new String(line, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }
}
