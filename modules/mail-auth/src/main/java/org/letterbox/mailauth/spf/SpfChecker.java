package org.letterbox.mailauth.spf;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

import org.apache.james.jspf.executor.SPFResult;
import org.apache.james.jspf.impl.SPF;
import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.xbill.DNS.Type;

/**
 * Checks SPF with Apache James jSPF, its DNS questions answered by our {@link Dns} (the resolvers outbound delivery
 * asks, and their cache), so that a test DNS server on loopback answers both. The MAIL FROM identity is checked; for the null sender, the HELO name
 * (RFC 7208 §2.4). jSPF applies the 10-lookup and 2-void-lookup limits; a DNS failure is {@code temperror}.
 */
public final class SpfChecker {

    private final Dns dns;
    private final String receivingHost;
    private final int timeoutSeconds;
    /** Made at the first check: jSPF compiles its record grammar when built, a good part of a second at start-up. */
    private volatile SPF spf;

    /**
     * @param receivingHost this server's name, for SPF's {@code %{r}} macro
     * @param timeout the longest a whole check may take
     */
    public SpfChecker(Dns dns, String receivingHost, Duration timeout) {
        this.dns = dns;
        this.receivingHost = receivingHost;
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
    }

    private SPF spf() {
        SPF made = spf;
        if (made == null) {
            synchronized (this) {
                made = spf;
                if (made == null) {
                    made = new SPF(new SpfDns(dns, receivingHost));
                    made.setTimeOut(timeoutSeconds);
                    spf = made;
                }
            }
        }
        return made;
    }

    public SpfResult check(InetAddress client, String mailFrom, String helo) {
        boolean nullSender = mailFrom == null || mailFrom.isEmpty();
        String domain = nullSender ? helo : mailFrom.substring(mailFrom.lastIndexOf('@') + 1);
        String identity = nullSender ? "helo" : "mailfrom";
        if (publishesNoRecord(domain)) {
            return new SpfResult(SpfResult.Status.NONE, domain.toLowerCase(Locale.ROOT), identity, "");
        }
        try {
            SPFResult result = spf().checkSPF(client.getHostAddress(), nullSender ? "" : mailFrom, helo);
            SpfResult.Status status = SpfResult.Status.parse(result.getResult());
            String explanation = result.getExplanation() == null ? "" : result.getExplanation();
            return new SpfResult(status, domain.toLowerCase(Locale.ROOT), identity, explanation);
        } catch (RuntimeException e) {
            return new SpfResult(SpfResult.Status.TEMPERROR, domain.toLowerCase(Locale.ROOT), identity,
                "SPF check failed: " + e.getMessage());
        }
    }

    /**
     * True when {@code domain} definitely publishes no SPF record: no such name, or no TXT record that starts with
     * {@code v=spf1} (RFC 7208 §4.3, §4.5: the result is {@code none}). That is most senders without SPF, and the
     * answer is the cached one jSPF would ask for first; jSPF itself reaches {@code none} only through an exception,
     * most of a check's cost. Anything less definite (no answer, a name DNS cannot take) is left to jSPF.
     */
    private boolean publishesNoRecord(String domain) {
        if (domain == null || domain.isEmpty()) {
            return false;
        }
        DnsAnswer<String> answer;
        try {
            answer = dns.strings(domain, Type.TXT);
        } catch (RuntimeException e) {
            return false;
        }
        if (answer instanceof DnsAnswer.NotFound<String>) {
            return true;
        }
        return answer instanceof DnsAnswer.Found<String> found && found.values().stream().noneMatch(SpfChecker::isSpfRecord);
    }

    /** RFC 7208 §4.5: the version section, then a space or the end of the record, in any case. */
    private static boolean isSpfRecord(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }
}
