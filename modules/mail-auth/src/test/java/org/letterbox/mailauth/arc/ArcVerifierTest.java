package org.letterbox.mailauth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.mailauth.arc.ArcSealing.seal;
import static org.letterbox.mailauth.arc.ArcSealing.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.DkimKey;

/**
 * ARC chain validation (RFC 8617 §5.2) over messages sealed by a mailing list (lists.test) and then a forwarder
 * (fwd.test): intact chains pass, whatever breaks one (a changed body, a changed older set, a missing header, a gap,
 * a chain already marked broken, an unknown key) fails it, and a message without ARC headers has none.
 */
class ArcVerifierTest {

    private static final String MESSAGE = "From: Alice <alice@example.test>\r\nTo: list@lists.test\r\nSubject: minutes\r\n"
        + "Date: Sat, 5 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.test>\r\n\r\nThe minutes.\r\n";
    private static final String LIST_RESULTS = "spf=pass smtp.mailfrom=example.test; dkim=pass header.d=example.test; "
        + "dmarc=pass header.from=example.test";

    private final Map<String, String> records = new HashMap<>();
    private final ArcVerifier verifier = new ArcVerifier(name -> records.containsKey(name)
        ? new DnsAnswer.Found<>(List.of(records.get(name)), false) : new DnsAnswer.NotFound<>(name, false, false));
    private final DkimKey list = publish(DkimKey.generate("lists.test", "arc", DkimAlgorithm.RSA_SHA256));
    private final DkimKey forwarder = publish(DkimKey.generate("fwd.test", "arc", DkimAlgorithm.ED25519_SHA256));

    private DkimKey publish(DkimKey key) {
        records.put(key.dnsName(), key.dnsRecord());
        return key;
    }

    private String twoSets() throws Exception {
        String once = seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "none");
        return seal(once, forwarder, "mx.fwd.test", "arc=pass header.d=lists.test", "pass");
    }

    @Test
    void aMessageWithoutArcHeadersHasNoChain() throws Exception {
        assertThat(verify(verifier, MESSAGE)).isEqualTo(ArcResult.NONE);
    }

    @Test
    void oneSetPasses() throws Exception {
        ArcResult result = verify(verifier, seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "none"));
        assertThat(result).isEqualTo(new ArcResult(ArcResult.Status.PASS, 1, "lists.test", ""));
    }

    @Test
    void aChainOfTwoWithRsaAndEd25519Passes() throws Exception {
        assertThat(verify(verifier, twoSets())).isEqualTo(new ArcResult(ArcResult.Status.PASS, 2, "fwd.test", ""));
    }

    @Test
    void aBodyChangedAfterTheNewestSetFailsItsMessageSignature() throws Exception {
        ArcResult result = verify(verifier, twoSets().replace("The minutes.", "The minutes, amended."));
        assertThat(result.status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(result.reason()).isEqualTo("ARC-Message-Signature 2: body hash did not verify");
    }

    @Test
    void aBodyChangedBeforeTheNewestSetStillPasses() throws Exception {
        // the forwarder sealed what it received (after the list's footer was added): its seal vouches for the rest
        String once = seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "none").replace("The minutes.", "The minutes.\r\n-- list footer");
        String twice = seal(once, forwarder, "mx.fwd.test", "arc=fail header.d=lists.test", "pass");
        assertThat(verify(verifier, twice).status()).isEqualTo(ArcResult.Status.PASS);
    }

    @Test
    void anOlderSetChangedFailsItsSeal() throws Exception {
        ArcResult result = verify(verifier, twoSets().replace("dmarc=pass header.from=example.test", "dmarc=pass header.from=bank.test"));
        assertThat(result.status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(result.reason()).isEqualTo("ARC-Seal 2: signature did not verify");
    }

    @Test
    void aMissingHeaderOrAGapFailsTheChain() throws Exception {
        String chain = twoSets();
        String withoutResults = chain.replaceFirst("ARC-Authentication-Results: i=1;[^\\r]*\\r\\n\\t[^\\r]*\\r\\n", "");
        assertThat(withoutResults).isNotEqualTo(chain);
        assertThat(verify(verifier, withoutResults).reason()).isEqualTo("ARC sets incomplete or out of range");
        String gap = seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "none").replace("i=1;", "i=2;");
        assertThat(verify(verifier, gap).status()).isEqualTo(ArcResult.Status.FAIL);
    }

    @Test
    void aChainTheLastSealerFoundBrokenFails() throws Exception {
        String once = seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "none");
        ArcResult result = verify(verifier, seal(once, forwarder, "mx.fwd.test", "arc=fail", "fail"));
        assertThat(result.status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(result.reason()).isEqualTo("the chain was already broken when set 2 was added");
    }

    @Test
    void theFirstSealMustSayNoneAndLaterOnesPass() throws Exception {
        ArcResult result = verify(verifier, seal(MESSAGE, list, "mx.lists.test", LIST_RESULTS, "pass"));
        assertThat(result.reason()).isEqualTo("ARC-Seal 1 has cv=pass");
    }

    @Test
    void aSealerWhoseKeyIsNotPublishedFails() throws Exception {
        records.remove(forwarder.dnsName());
        ArcResult result = verify(verifier, twoSets());
        assertThat(result.status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(result.reason()).isEqualTo("ARC-Message-Signature 2: no key record");
    }
}
