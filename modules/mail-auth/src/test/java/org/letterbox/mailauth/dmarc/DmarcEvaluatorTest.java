package org.letterbox.mailauth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.spf.SpfResult;

/** DMARC (RFC 7489): record discovery, alignment, policies, pct and organizational domains. */
class DmarcEvaluatorTest {

    private final Map<String, DnsAnswer<String>> dns = new HashMap<>();
    private final DmarcEvaluator dmarc = new DmarcEvaluator(
        name -> dns.getOrDefault(name, new DnsAnswer.NotFound<>(name, false, false)), new Random(7));

    private void record(String name, String text) {
        dns.put(name, new DnsAnswer.Found<>(List.of(text), false));
    }

    private static DkimResult dkim(DkimResult.Status status, String domain) {
        return new DkimResult(status, domain, "s", Optional.of(DkimAlgorithm.ED25519_SHA256), "b", "");
    }

    private static SpfResult spf(SpfResult.Status status, String domain) {
        return new SpfResult(status, domain, "mailfrom", "");
    }

    private static final SpfResult NO_SPF = spf(SpfResult.Status.NONE, "elsewhere.test");

    @Test
    void anAlignedDkimPassPassesInRelaxedModeAndNotInStrict() {
        record("_dmarc.example.org", "v=DMARC1; p=reject");
        assertThat(dmarc.evaluate("example.org", NO_SPF, List.of(dkim(DkimResult.Status.PASS, "mail.example.org"))).status())
            .isEqualTo(DmarcResult.Status.PASS);
        record("_dmarc.example.org", "v=DMARC1; p=reject; adkim=s");
        DmarcResult strict = dmarc.evaluate("example.org", NO_SPF, List.of(dkim(DkimResult.Status.PASS, "mail.example.org")));
        assertThat(strict.status()).isEqualTo(DmarcResult.Status.FAIL);
        assertThat(strict.disposition()).isEqualTo(DmarcRecord.Policy.REJECT);
    }

    @Test
    void anAlignedSpfPassPassesAndAnUnalignedOneDoesNot() {
        record("_dmarc.example.org", "v=DMARC1; p=quarantine");
        assertThat(dmarc.evaluate("example.org", spf(SpfResult.Status.PASS, "bounces.example.org"), List.of()).status())
            .isEqualTo(DmarcResult.Status.PASS);
        DmarcResult unaligned = dmarc.evaluate("example.org", spf(SpfResult.Status.PASS, "sender.test"),
            List.of(dkim(DkimResult.Status.PASS, "sender.test")));
        assertThat(unaligned.status()).isEqualTo(DmarcResult.Status.FAIL);
        assertThat(unaligned.disposition()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
    }

    @Test
    void aFailedDkimSignatureOfTheDomainDoesNotCount() {
        record("_dmarc.example.org", "v=DMARC1; p=reject");
        assertThat(dmarc.evaluate("example.org", NO_SPF, List.of(dkim(DkimResult.Status.FAIL, "example.org"))).status())
            .isEqualTo(DmarcResult.Status.FAIL);
    }

    @Test
    void aSubdomainWithoutARecordGetsTheOrganizationsSubdomainPolicy() {
        record("_dmarc.example.org", "v=DMARC1; p=none; sp=reject");
        DmarcResult result = dmarc.evaluate("news.example.org", NO_SPF, List.of());
        assertThat(result.status()).isEqualTo(DmarcResult.Status.FAIL);
        assertThat(result.disposition()).isEqualTo(DmarcRecord.Policy.REJECT);
        assertThat(dmarc.evaluate("example.org", NO_SPF, List.of()).disposition()).isEqualTo(DmarcRecord.Policy.NONE);
    }

    @Test
    void theOrganizationalDomainComesFromThePublicSuffixList() {
        record("_dmarc.example.co.uk", "v=DMARC1; p=reject");
        assertThat(dmarc.evaluate("mail.example.co.uk", NO_SPF, List.of(dkim(DkimResult.Status.PASS, "example.co.uk")))
            .status()).isEqualTo(DmarcResult.Status.PASS);
        assertThat(OrganizationalDomain.of("mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("a.b.example.com")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("mail.example.test")).isEqualTo("example.test");
        assertThat(OrganizationalDomain.of("example.test")).isEqualTo("example.test");
    }

    @Test
    void anOrganizationalDomainAskedAgainOrInAnotherCaseIsTheSame() {
        for (int i = 0; i < 3; i++) {
            assertThat(OrganizationalDomain.of("Mail.Example.CO.UK")).isEqualTo("example.co.uk");
            assertThat(OrganizationalDomain.of("mail.example.co.uk.")).isEqualTo("example.co.uk");
            assertThat(OrganizationalDomain.of("b.example.test")).isEqualTo("example.test");
        }
    }

    @Test
    void pctAppliesThePolicyToThatShareAndTheMilderOneToTheRest() {
        record("_dmarc.example.org", "v=DMARC1; p=reject; pct=0");
        assertThat(dmarc.evaluate("example.org", NO_SPF, List.of()).disposition()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
        record("_dmarc.example.org", "v=DMARC1; p=reject; pct=50");
        int rejected = 0;
        for (int i = 0; i < 1000; i++) {
            if (dmarc.evaluate("example.org", NO_SPF, List.of()).disposition() == DmarcRecord.Policy.REJECT) {
                rejected++;
            }
        }
        assertThat(rejected).isBetween(420, 580);
    }

    @Test
    void noRecordIsNoneAndAFailedLookupTemperror() {
        assertThat(dmarc.evaluate("nothing.test", NO_SPF, List.of()).status()).isEqualTo(DmarcResult.Status.NONE);
        dns.put("_dmarc.flaky.test", new DnsAnswer.TemporaryFailure<>("SERVFAIL"));
        assertThat(dmarc.evaluate("flaky.test", NO_SPF, List.of()).status()).isEqualTo(DmarcResult.Status.TEMPERROR);
        dns.put("_dmarc.two.test", new DnsAnswer.Found<>(List.of("v=DMARC1; p=reject", "v=DMARC1; p=none"), false));
        assertThat(dmarc.evaluate("two.test", NO_SPF, List.of()).status()).isEqualTo(DmarcResult.Status.NONE);
    }

    @Test
    void anImpliedPolicyStandsInForAMissingRecord() {
        DmarcRecord reject = new DmarcRecord(DmarcRecord.Policy.REJECT, DmarcRecord.Policy.REJECT, 100, false, false);
        DmarcResult result = dmarc.evaluate("ours.test", NO_SPF, List.of(), Optional.of(reject));
        assertThat(result.status()).isEqualTo(DmarcResult.Status.FAIL);
        assertThat(result.disposition()).isEqualTo(DmarcRecord.Policy.REJECT);
        assertThat(dmarc.evaluate("ours.test", spf(SpfResult.Status.PASS, "ours.test"), List.of(), Optional.of(reject))
            .status()).isEqualTo(DmarcResult.Status.PASS);
    }
}
