package org.letterbox.mailauth.dmarc;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.spf.SpfResult;

/**
 * Judges a message by DMARC (RFC 7489 §6.6): finds the policy of the From domain (or, when it has none, of its
 * organizational domain), and passes the message when an SPF pass or a DKIM pass is for a domain aligned with the
 * From domain (strict: the same; relaxed: the same organizational domain). A failure is handled as the policy says,
 * for the share of messages {@code pct} names, and by the next milder policy for the rest.
 */
public final class DmarcEvaluator {

    private final Function<String, DnsAnswer<String>> txt;
    private final Random random;

    public DmarcEvaluator(Function<String, DnsAnswer<String>> txt, Random random) {
        this.txt = txt;
        this.random = random;
    }

    /**
     * @param fromDomain the domain of the RFC5322.From address
     * @param spf the SPF result and the domain it was for (MAIL FROM, or HELO for the null sender)
     * @param dkim every DKIM result of the message
     */
    public DmarcResult evaluate(String fromDomain, SpfResult spf, List<DkimResult> dkim) {
        return evaluate(fromDomain, spf, dkim, Optional.empty());
    }

    /**
     * As {@link #evaluate(String, SpfResult, List)}, with {@code implied} standing in for a record the domain does not
     * publish (our own domains are judged as if they said {@code p=reject}: mail that claims them from outside must
     * prove it).
     */
    public DmarcResult evaluate(String fromDomain, SpfResult spf, List<DkimResult> dkim, Optional<DmarcRecord> implied) {
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String organizational = OrganizationalDomain.of(from);
        Lookup lookup = lookup("_dmarc." + from);
        boolean subdomain = false;
        if (lookup.missing() && !organizational.equals(from)) {
            lookup = lookup("_dmarc." + organizational);
            subdomain = true;
        }
        if (lookup.temporary()) {
            return new DmarcResult(DmarcResult.Status.TEMPERROR, from, DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE);
        }
        if (lookup.record().isEmpty() && implied.isEmpty()) {
            return new DmarcResult(DmarcResult.Status.NONE, from, DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE);
        }
        DmarcRecord record = lookup.record().orElseGet(implied::get);
        boolean dkimAligned = dkim.stream().anyMatch(result -> result.passed()
            && aligned(result.domain(), from, organizational, record.strictDkim()));
        boolean spfAligned = spf.status() == SpfResult.Status.PASS
            && aligned(spf.domain(), from, organizational, record.strictSpf());
        DmarcRecord.Policy policy = subdomain ? record.subdomainPolicy() : record.policy();
        if (dkimAligned || spfAligned) {
            return new DmarcResult(DmarcResult.Status.PASS, from, DmarcRecord.Policy.NONE, policy);
        }
        DmarcRecord.Policy disposition = record.percent() >= 100 || random.nextInt(100) < record.percent()
            ? policy : policy.milder();
        return new DmarcResult(DmarcResult.Status.FAIL, from, disposition, policy);
    }

    private static boolean aligned(String domain, String from, String organizational, boolean strict) {
        String other = domain.toLowerCase(Locale.ROOT);
        return strict ? other.equals(from) : OrganizationalDomain.of(other).equals(organizational);
    }

    private record Lookup(Optional<DmarcRecord> record, boolean missing, boolean temporary) {
    }

    private Lookup lookup(String name) {
        DnsAnswer<String> answer = txt.apply(name);
        if (answer instanceof DnsAnswer.TemporaryFailure<String>) {
            return new Lookup(Optional.empty(), false, true);
        }
        if (!(answer instanceof DnsAnswer.Found<String> found)) {
            return new Lookup(Optional.empty(), true, false);
        }
        List<DmarcRecord> records = found.values().stream().map(DmarcRecord::parse).flatMap(Optional::stream).toList();
        // more than one record is as good as none (RFC 7489 §6.6.3)
        return records.size() == 1 ? new Lookup(Optional.of(records.get(0)), false, false) : new Lookup(Optional.empty(), true, false);
    }
}
