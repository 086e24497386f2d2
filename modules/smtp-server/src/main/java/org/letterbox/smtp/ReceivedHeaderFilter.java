package org.letterbox.smtp;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;

/**
 * Prepends {@code Return-Path} and a {@code Received} header (RFC 5321 §4.4) naming the client, the protocol
 * (ESMTP, with S for TLS and A for AUTH, as RFC 3848 defines), the TLS version and cipher, and the session id.
 */
final class ReceivedHeaderFilter extends ReceivedDataLineFilter {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    @Override
    protected java.util.Collection<Header> headers(SMTPSession session) {
        String sender = session.getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction)
            .flatMap(maybe -> maybe.asOptional().map(Utf8Addresses::text))
            .orElse("");
        Header returnPath = new Header("Return-Path", "<" + oneLine(sender) + ">");

        String helo = session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection)
            .filter(GreetingReplies::acceptableClientName).orElse("unknown");
        boolean ehlo = "EHLO".equals(session.getAttachment(SMTPSession.CURRENT_HELO_MODE, ProtocolSession.State.Connection).orElse(""));
        String ip = session.getRemoteAddress().getAddress().getHostAddress();
        String protocol = (ehlo ? "ESMTP" : "SMTP") + (session.isTLSStarted() ? "S" : "") + (session.getUsername() != null ? "A" : "");
        if (!ehlo && (session.isTLSStarted() || session.getUsername() != null)) {
            protocol = "ESMTP" + protocol.substring(4);
        }
        Header received = new Header("Received", "from " + helo + " ([" + ip + "])");
        StringBuilder by = new StringBuilder("by ").append(session.getConfiguration().getHelloName())
            .append(" (Letterbox) with ").append(protocol);
        session.getSSLSession().ifPresent(tls -> received.add("(using " + tls.getProtocol() + " with cipher " + tls.getCipherSuite() + ")"));
        if (session.getUsername() != null) {
            received.add("(authenticated as " + session.getUsername().asString() + ")");
        }
        by.append(" id ").append(session.getSessionID());
        List<MailAddress> recipients = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction).orElse(List.of());
        if (recipients.size() == 1) {
            received.add(by.toString());
            received.add("for <" + oneLine(Utf8Addresses.text(recipients.get(0))) + ">; " + DATE.format(ZonedDateTime.now()));
        } else {
            received.add(by + "; " + DATE.format(ZonedDateTime.now()));
        }
        return List.of(returnPath, received);
    }

    /** An address for a header: control characters (a line break above all) become '?', at most 512 characters. */
    private static String oneLine(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), 512));
        value.codePoints().limit(512).forEach(cp -> out.appendCodePoint(cp < ' ' || cp == 0x7f ? '?' : cp));
        return out.toString();
    }
}
