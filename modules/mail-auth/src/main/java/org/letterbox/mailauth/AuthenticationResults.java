package org.letterbox.mailauth;

import java.util.List;
import java.util.Locale;

import org.letterbox.mailauth.arc.ArcResult;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dmarc.DmarcResult;
import org.letterbox.mailauth.spf.SpfResult;

/**
 * The Authentication-Results header (RFC 8601) we add: our authserv-id, then the SPF, DKIM (one per signature), ARC
 * (when the message has a chain; RFC 8617 §10.1) and DMARC results. And the test for the ones we remove: any such
 * header from outside that claims our authserv-id, since only we may write those.
 */
public final class AuthenticationResults {

    private AuthenticationResults() {
    }

    /** The header field, folded, ending in CRLF. */
    public static String header(String authservId, SpfResult spf, List<DkimResult> dkim, ArcResult arc,
                                DmarcResult dmarc) {
        StringBuilder header = new StringBuilder("Authentication-Results: ").append(authservId);
        header.append(";\r\n\tspf=").append(spf.status()).append(comment(spf.explanation()))
            .append(" smtp.").append(spf.identity()).append('=').append(token(spf.domain()));
        if (dkim.isEmpty()) {
            header.append(";\r\n\tdkim=none");
        }
        for (DkimResult result : dkim) {
            header.append(";\r\n\tdkim=").append(result.status()).append(comment(result.reason()))
                .append(" header.d=").append(token(result.domain()))
                .append(" header.s=").append(token(result.selector()))
                .append(" header.b=").append(token(result.headerB()));
        }
        if (arc.status() != ArcResult.Status.NONE) {
            header.append(";\r\n\tarc=").append(arc.status())
                .append(comment((arc.reason().isEmpty() ? "" : arc.reason() + ", ") + "i=" + arc.instances()))
                .append(" header.d=").append(token(arc.sealer()));
        }
        header.append(";\r\n\tdmarc=").append(dmarc.status());
        if (dmarc.status() == DmarcResult.Status.PASS || dmarc.status() == DmarcResult.Status.FAIL) {
            // only a published (or implied) record has a policy to report
            header.append(" (p=").append(dmarc.policy()).append(" dis=").append(dmarc.disposition()).append(')');
        }
        header.append(" header.from=").append(token(dmarc.fromDomain()));
        return header.append("\r\n").toString();
    }

    /** True when {@code field} is an Authentication-Results header that claims {@code authservId}. */
    public static boolean claims(HeaderBlock.Field field, String authservId) {
        if (!field.is("Authentication-Results")) {
            return false;
        }
        String value = field.value();
        String id = value.split("[;\\s]", 2)[0];
        return id.toLowerCase(Locale.ROOT).equals(authservId.toLowerCase(Locale.ROOT));
    }

    private static String comment(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        StringBuilder clean = new StringBuilder();
        text.codePoints().limit(200)
            .forEach(cp -> clean.appendCodePoint(cp < ' ' || cp == 0x7f || cp == '(' || cp == ')' || cp == '\\' ? ' ' : cp));
        return " (" + clean.toString().strip() + ")";
    }

    /** A value as a token: what a remote party put there cannot break the header. */
    private static String token(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        StringBuilder clean = new StringBuilder();
        value.codePoints().limit(255).forEach(cp -> clean.appendCodePoint(cp <= ' ' || cp == ';' || cp == '(' || cp == ')'
            || cp == '"' || cp == '\\' || cp == 0x7f ? '_' : cp));
        return clean.toString();
    }
}
