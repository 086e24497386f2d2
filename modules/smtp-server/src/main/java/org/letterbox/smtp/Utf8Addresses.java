package org.letterbox.smtp;

import java.net.IDN;
import java.util.Locale;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;

/**
 * UTF-8 envelope addresses (RFC 6531) over James's ASCII-only {@link MailAddress}.
 *
 * <p>James's parser accepts any character inside a quoted local part but only ASCII letters, digits and hyphens in
 * a domain. So a UTF-8 address travels through James as {@code "jösé"@xn--exmple-cua.test}: the local part quoted,
 * the domain as its IDNA A-label. {@link #text(MailAddress)} turns it back into the form the sender wrote, which is
 * what the accounts table, the Return-Path header and the outbound queue store.
 */
final class Utf8Addresses {

    /** Set for the transaction when MAIL carried the SMTPUTF8 parameter. */
    static final ProtocolSession.AttachmentKey<Boolean> REQUESTED =
        ProtocolSession.AttachmentKey.of("letterbox.smtputf8", Boolean.class);

    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    private Utf8Addresses() {
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form of {@code address} (without angle brackets) that James's parser accepts.
     *
     * @throws IllegalArgumentException when the address is not a valid UTF-8 mailbox
     */
    static String toJamesForm(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not local@domain");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!isAscii(local) && !local.startsWith("\"")) {
            if (!isUtf8DotAtom(local)) {
                throw new IllegalArgumentException("bad local part");
            }
            local = "\"" + local + "\"";
        }
        if (!isAscii(domain)) {
            domain = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        }
        return local + "@" + domain;
    }

    /** The address as text, UTF-8 where it was sent in UTF-8: the quotes we added and the A-label undone. */
    static String text(MailAddress address) {
        String local = address.getLocalPart();
        if (local.length() > 2 && local.startsWith("\"") && local.endsWith("\"")) {
            String inner = local.substring(1, local.length() - 1);
            if (!isAscii(inner) && isUtf8DotAtom(inner)) {
                local = inner;
            }
        }
        String domain = address.getDomain().asString();
        if (domain.toLowerCase(Locale.ROOT).contains("xn--")) {
            domain = IDN.toUnicode(domain, IDN.USE_STD3_ASCII_RULES);
        }
        return local + "@" + domain;
    }

    /**
     * A MAIL or RCPT argument ({@code FROM:<address> params}) with its address in James's form. Null when the
     * argument has no bracketed address or the address is ASCII: James then parses it as it is.
     *
     * @throws IllegalArgumentException when the address is not a valid UTF-8 mailbox
     */
    private static String rewriteArgument(String argument) {
        if (argument == null || isAscii(argument)) {
            return null;
        }
        int open = argument.indexOf('<');
        int close = open < 0 ? -1 : argument.indexOf('>', open);
        if (close < 0) {
            return null;
        }
        String address = argument.substring(open + 1, close);
        if (isAscii(address)) {
            return null;
        }
        return argument.substring(0, open + 1) + toJamesForm(address) + argument.substring(close);
    }

    /** What to do with a MAIL or RCPT argument: pass it to James (perhaps rewritten), or refuse it. */
    record Rewrite(String argument, boolean utf8, boolean malformed) {
    }

    /** Classifies and, for a UTF-8 address, rewrites a MAIL or RCPT argument. */
    static Rewrite rewrite(String argument) {
        try {
            String rewritten = rewriteArgument(argument);
            return rewritten == null ? new Rewrite(argument, false, false) : new Rewrite(rewritten, true, false);
        } catch (IllegalArgumentException e) {
            return new Rewrite(argument, true, true);
        }
    }

    /** Whether the parameters after the address of a MAIL argument include SMTPUTF8. */
    static boolean hasSmtpUtf8Parameter(String argument) {
        int close = argument.indexOf('>');
        for (String parameter : argument.substring(close + 1).trim().split(" +")) {
            if (parameter.equalsIgnoreCase("SMTPUTF8")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUtf8DotAtom(String local) {
        for (String atom : local.split("\\.", -1)) {
            if (atom.isEmpty() || atom.chars().anyMatch(c -> c <= ' ' || c == 127 || SPECIALS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
