package org.letterbox.mailauth;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.letterbox.dns.Dns;
import org.letterbox.mailauth.arc.ArcResult;
import org.letterbox.mailauth.arc.ArcVerifier;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.dkim.DkimVerifier;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dmarc.DmarcEvaluator;
import org.letterbox.mailauth.dmarc.DmarcRecord;
import org.letterbox.mailauth.dmarc.DmarcResult;
import org.letterbox.mailauth.spf.SpfChecker;
import org.letterbox.mailauth.spf.SpfResult;

/**
 * The checks of a message arriving from outside, in one place: SPF of the client for the envelope sender, every
 * DKIM signature, the ARC chain (recorded, not acted on), DMARC of the From domain over SPF and DKIM; and the Authentication-Results header that reports them under
 * our authserv-id. Every DNS question has the resolver's time limit, and a failed one gives {@code temperror},
 * never a lost message.
 */
public final class MailAuthentication {

    /** What the checks found, and the header that says so. */
    /** @param fromDomain the domain of the message's From address, empty when it names none */
    public record Verdict(Optional<String> fromDomain, SpfResult spf, List<DkimResult> dkim, ArcResult arc, DmarcResult dmarc,
                          String header) {
        /** The message is to be refused: its domain's DMARC policy says reject. */
        public boolean reject() {
            return dmarc.status() == DmarcResult.Status.FAIL && dmarc.disposition() == DmarcRecord.Policy.REJECT;
        }

        /** The message goes to Junk: its domain's DMARC policy says quarantine. */
        public boolean quarantine() {
            return dmarc.status() == DmarcResult.Status.FAIL && dmarc.disposition() == DmarcRecord.Policy.QUARANTINE;
        }
    }

    private final String authservId;
    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final ArcVerifier arc;
    private final DmarcEvaluator dmarc;
    private final Clock clock;

    public MailAuthentication(String authservId, Dns dns, Clock clock, Random random) {
        this.authservId = authservId;
        this.spf = new SpfChecker(dns, authservId, java.time.Duration.ofSeconds(10));
        this.dkim = new DkimVerifier(dns::txt);
        this.arc = new ArcVerifier(dns::txt);
        this.dmarc = new DmarcEvaluator(dns::txt, random);
        this.clock = clock;
    }

    public String authservId() {
        return authservId;
    }

    /**
     * Checks one message.
     *
     * @param client the connecting address
     * @param mailFrom the envelope sender (empty for the null sender)
     * @param helo the EHLO/HELO name
     * @param message opens the message (read once, twice when it carries an ARC chain)
     */
    public Verdict check(InetAddress client, String mailFrom, String helo, MessageSource message,
                         java.util.function.Function<String, Optional<DmarcRecord>> implied) throws IOException {
        SpfResult spfResult = spf.check(client, mailFrom, helo);
        List<DkimResult> dkimResults;
        ArcResult arcResult = ArcResult.NONE;
        Optional<String> fromDomain;
        try (InputStream in = message.open()) {
            HeaderBlock headers = HeaderBlock.read(in);
            fromDomain = headers.fromDomain();
            dkimResults = dkim.verify(headers, in, clock.instant());
            if (ArcVerifier.present(headers)) {
                try (InputStream again = message.open()) {
                    HeaderBlock.read(again);
                    arcResult = arc.verify(headers, again);
                }
            }
        }
        DmarcResult dmarcResult = fromDomain
            .map(domain -> dmarc.evaluate(domain, spfResult, dkimResults, implied.apply(domain)))
            .orElse(new DmarcResult(DmarcResult.Status.NONE, "", DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE));
        return new Verdict(fromDomain, spfResult, dkimResults, arcResult, dmarcResult,
            AuthenticationResults.header(authservId, spfResult, dkimResults, arcResult, dmarcResult));
    }

    /** DMARC of another domain over the SPF and DKIM results already found (the envelope sender's, say). */
    public DmarcResult judgeDomain(String domain, Verdict verdict, Optional<DmarcRecord> implied) {
        return dmarc.evaluate(domain, verdict.spf(), verdict.dkim(), implied);
    }

    /** Opens the message. */
    public interface MessageSource {
        InputStream open() throws IOException;
    }
}
