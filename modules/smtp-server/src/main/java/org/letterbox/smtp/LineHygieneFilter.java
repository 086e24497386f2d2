package org.letterbox.smtp;

import java.io.ByteArrayOutputStream;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataCmdHandler;
import org.apache.james.protocols.smtp.core.DataLineFilter;

import io.netty.channel.Channel;

/**
 * First filter on every DATA line.
 * <ul>
 * <li>Bare CR and bare LF inside a line are turned into CRLF line breaks; a resulting line that starts with a dot
 * is dot-stuffed so it can never be read as the end of DATA (no SMTP smuggling).</li>
 * <li>The message size is counted as a {@code long}; past the limit, lines are dropped (nothing more is buffered)
 * and the end of DATA is answered {@code 552 5.3.4}.</li>
 * <li>A message in which {@link CrlfLineFrameDecoder} had to cut an over-long line is refused at the end of DATA
 * with {@code 500 5.5.2}: we never store a silently altered message.</li>
 * </ul>
 */
final class LineHygieneFilter implements DataLineFilter {

    private static final ProtocolSession.AttachmentKey<Long> SIZE = ProtocolSession.AttachmentKey.of("letterbox.size", Long.class);
    private static final Response TOO_BIG = new SMTPResponse(SmtpReplies.EXCEEDED_STORAGE, "5.3.4 Message too big for this server").immutable();
    private static final Response LINE_TOO_LONG = new SMTPResponse(SmtpReplies.SYNTAX_ERROR, "5.5.2 Line too long; message refused").immutable();

    private final long maxMessageSize;

    LineHygieneFilter(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
            Response refusal = refusal(session);
            if (refusal != null) {
                session.getAttachment(DataCmdHandler.MAILENV, ProtocolSession.State.Transaction)
                    .filter(SpoolingEnvelope.class::isInstance)
                    .map(SpoolingEnvelope.class::cast)
                    .ifPresent(SpoolingEnvelope::dispose);
                session.popLineHandler();
                session.resetState();
                return refusal;
            }
            return next.onLine(session, line);
        }
        long size = session.getAttachment(SIZE, ProtocolSession.State.Transaction).orElse(0L) + line.length;
        session.setAttachment(SIZE, size, ProtocolSession.State.Transaction);
        if (size > maxMessageSize || lineTooLong(session, false)) {
            return null;
        }
        if (!hasBareLineBreak(line)) {
            return next.onLine(session, line);
        }
        for (byte[] part : split(line)) {
            Response response = next.onLine(session, part);
            if (response != null) {
                return response;
            }
        }
        return null;
    }

    private Response refusal(SMTPSession session) {
        long size = session.getAttachment(SIZE, ProtocolSession.State.Transaction).orElse(0L);
        if (lineTooLong(session, true)) {
            return LINE_TOO_LONG;
        }
        if (size > maxMessageSize) {
            return TOO_BIG;
        }
        return null;
    }

    private boolean lineTooLong(SMTPSession session, boolean clear) {
        Channel channel = session.getAttachment(CrlfLineFrameDecoder.CHANNEL, ProtocolSession.State.Connection).orElse(null);
        if (channel == null) {
            return false;
        }
        Boolean flagged = clear
            ? channel.attr(CrlfLineFrameDecoder.DATA_LINE_TOO_LONG).getAndSet(null)
            : channel.attr(CrlfLineFrameDecoder.DATA_LINE_TOO_LONG).get();
        return Boolean.TRUE.equals(flagged);
    }

    static boolean hasBareLineBreak(byte[] line) {
        for (int i = 0; i < line.length - 2; i++) {
            if (line[i] == '\n' || (line[i] == '\r' && line[i + 1] != '\n')) {
                return true;
            }
            if (line[i] == '\r') {
                i++;
            }
        }
        return false;
    }

    /**
     * Splits at bare CR, bare LF and CRLF. The client's dot-stuffing applies to the line as sent, so it is undone
     * first; then every resulting part that starts with a dot is stuffed again, so that none can read as the end
     * of DATA further down the chain.
     */
    static java.util.List<byte[]> split(byte[] line) {
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int i = line.length > 0 && line[0] == '.' ? 1 : 0;
        while (i < line.length) {
            byte b = line[i];
            if (b == '\r' || b == '\n') {
                i += (b == '\r' && i + 1 < line.length && line[i + 1] == '\n') ? 2 : 1;
                current.write('\r');
                current.write('\n');
                parts.add(current.toByteArray());
                current.reset();
            } else {
                if (current.size() == 0 && b == '.') {
                    current.write('.');
                }
                current.write(b);
                i++;
            }
        }
        return parts;
    }
}
