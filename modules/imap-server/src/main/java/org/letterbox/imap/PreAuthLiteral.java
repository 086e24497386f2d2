package org.letterbox.imap;

import java.nio.charset.StandardCharsets;

import org.apache.james.imap.api.ImapMessage;

import io.netty.buffer.ByteBuf;

/**
 * A literal announced at the end of a command line ({@code {123}} or the non-synchronizing {@code {123+}}), read
 * before the decoder sees the line, with the command's tag.
 */
record PreAuthLiteral(String tag, long size, boolean nonSynchronizing) {

    /** What the processor answers in the command's turn: {@code BAD}, and for a non-synchronizing one a BYE. */
    record Refusal(String tag, boolean closes) implements ImapMessage {
    }

    /** The literal announced at the end of the line in {@code line} (CRLF or not), or null. */
    static PreAuthLiteral announcedAtEnd(ByteBuf line) {
        int end = line.writerIndex();
        int start = line.readerIndex();
        while (end > start && (line.getByte(end - 1) == '\n' || line.getByte(end - 1) == '\r')) {
            end--;
        }
        if (end - start < 3 || line.getByte(end - 1) != '}') {
            return null;
        }
        int at = end - 2;
        boolean plus = line.getByte(at) == '+';
        if (plus) {
            at--;
        }
        int digitsEnd = at + 1;
        while (at >= start && Character.isDigit(line.getByte(at))) {
            at--;
        }
        if (at < start || line.getByte(at) != '{' || digitsEnd - (at + 1) == 0 || digitsEnd - (at + 1) > 18) {
            return null;
        }
        long size = Long.parseLong(line.toString(at + 1, digitsEnd - (at + 1), StandardCharsets.US_ASCII));
        return new PreAuthLiteral(tag(line, start, end), size, plus);
    }

    /** The first word of the line when it is a valid tag (RFC 3501 tag: ASTRING-CHAR but '+'), else "*". */
    private static String tag(ByteBuf line, int start, int end) {
        int at = start;
        while (at < end && at - start < 64) {
            byte b = line.getByte(at);
            if (b == ' ') {
                break;
            }
            if (b <= ' ' || b >= 0x7f || "(){%*\"\\+]".indexOf(b) >= 0) {
                return "*";
            }
            at++;
        }
        return at == start || at == end || line.getByte(at) != ' ' ? "*" : line.toString(start, at - start, StandardCharsets.US_ASCII);
    }
}
