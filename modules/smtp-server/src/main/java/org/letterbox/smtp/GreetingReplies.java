package org.letterbox.smtp;

import java.util.List;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;

/**
 * The first line of the HELO and EHLO replies: {@code <our name> Hello <client's name> [<client's address>]}.
 * James 3.8.1 writes an unbalanced {@code ... [1.2.3.4])} there; the rest of its reply (the EHLO keywords) is kept.
 * A client that greets with its address literal, as most do from a home network, is not named twice.
 */
final class GreetingReplies {

    private GreetingReplies() {
    }

    private static final int MAX_CLIENT_NAME = 255;

    /**
     * A client name we can write into a greeting and a Received header: 1 to 255 characters, no space, no line break,
     * no control character (RFC 5321 §4.1.1.1: a domain or an address literal; RFC 6531 allows UTF-8 labels).
     */
    static boolean acceptableClientName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_CLIENT_NAME) {
            return false;
        }
        return name.codePoints().allMatch(cp -> cp > ' ' && cp != 0x7f && !Character.isISOControl(cp)
            && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp) && Character.getType(cp) != Character.FORMAT);
    }

    private static Response invalidName() {
        return new SMTPResponse(SmtpReplies.PARAMETER_SYNTAX_ERROR, "5.5.4 Invalid domain name");
    }

    static String firstLine(SMTPSession session, String argument) {
        String address = "[" + session.getRemoteAddress().getAddress().getHostAddress() + "]";
        String name = argument.equalsIgnoreCase(address) ? "" : argument + " ";
        return session.getConfiguration().getHelloName() + " Hello " + name + address;
    }

    static Response withFirstLine(Response reply, String firstLine) {
        if (!SMTPRetCode.MAIL_OK.equals(reply.getRetCode())) {
            return reply;
        }
        List<CharSequence> lines = reply.getLines();
        SMTPResponse fixed = new SMTPResponse(reply.getRetCode(), firstLine);
        for (CharSequence line : lines.subList(1, lines.size())) {
            fixed.appendLine(stripCode(line));
        }
        fixed.setEndSession(reply.isEndSession());
        return fixed;
    }

    /** {@code getLines()} gives each line with its code and separator ("250-PIPELINING"); appendLine wants the text. */
    private static CharSequence stripCode(CharSequence line) {
        String text = line.toString();
        return text.length() >= 4 && (text.charAt(3) == '-' || text.charAt(3) == ' ') ? text.substring(4) : text;
    }

    /** EHLO with a balanced greeting line. */
    static final class Ehlo extends EhloCmdHandler {
        Ehlo(MetricFactory metrics) {
            super(metrics);
        }

        @Override
        protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
            if (parameters != null && !parameters.isBlank() && !acceptableClientName(parameters.strip())) {
                return invalidName();
            }
            return withFirstLine(super.doCoreCmd(session, command, parameters), firstLine(session, parameters));
        }
    }

    /** HELO with a balanced greeting line. */
    static final class Helo extends HeloCmdHandler {
        Helo(MetricFactory metrics) {
            super(metrics);
        }

        @Override
        protected Response doCoreCmd(SMTPSession session, String command, String parameters) {
            if (parameters != null && !parameters.isBlank() && !acceptableClientName(parameters.strip())) {
                return invalidName();
            }
            return withFirstLine(super.doCoreCmd(session, command, parameters), firstLine(session, parameters));
        }
    }
}
