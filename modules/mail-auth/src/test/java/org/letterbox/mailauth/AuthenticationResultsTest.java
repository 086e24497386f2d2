package org.letterbox.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.letterbox.mailauth.arc.ArcResult;
import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dmarc.DmarcRecord;
import org.letterbox.mailauth.dmarc.DmarcResult;
import org.letterbox.mailauth.spf.SpfResult;

/** The Authentication-Results header we write (RFC 8601), and which ones from outside we recognise as claiming us. */
class AuthenticationResultsTest {

    private static final SpfResult SPF = new SpfResult(SpfResult.Status.PASS, "lists.test", "mailfrom", "");
    private static final List<DkimResult> DKIM = List.of(new DkimResult(DkimResult.Status.FAIL, "example.test", "s1",
        Optional.of(DkimAlgorithm.RSA_SHA256), "abcdefgh", "body hash did not verify"));
    private static final DmarcResult DMARC = new DmarcResult(DmarcResult.Status.FAIL, "example.test",
        DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE);

    @Test
    void everyMethodHasItsOwnFoldedLineAndAnArcChainIsReported() {
        String header = AuthenticationResults.header("mx.remote.test", SPF, DKIM,
            new ArcResult(ArcResult.Status.PASS, 2, "lists.test", ""), DMARC);
        assertThat(header).isEqualTo("Authentication-Results: mx.remote.test;\r\n"
            + "\tspf=pass smtp.mailfrom=lists.test;\r\n"
            + "\tdkim=fail (body hash did not verify) header.d=example.test header.s=s1 header.b=abcdefgh;\r\n"
            + "\tarc=pass (i=2) header.d=lists.test;\r\n"
            + "\tdmarc=fail (p=none dis=none) header.from=example.test\r\n");
    }

    @Test
    void aMessageWithoutAChainAndWithoutADmarcRecordSaysNone() {
        String header = AuthenticationResults.header("mx.remote.test", SPF, List.of(), ArcResult.NONE,
            new DmarcResult(DmarcResult.Status.NONE, "example.test", DmarcRecord.Policy.NONE, DmarcRecord.Policy.NONE));
        assertThat(header).isEqualTo("Authentication-Results: mx.remote.test;\r\n\tspf=pass smtp.mailfrom=lists.test;\r\n"
            + "\tdkim=none;\r\n\tdmarc=none header.from=example.test\r\n");
    }

    @Test
    void onlyHeadersNamingOurAuthservIdClaimUs() {
        assertThat(AuthenticationResults.claims(new HeaderBlock.Field("Authentication-Results",
            "Authentication-Results: MX.Remote.Test; dkim=pass header.d=bank.test"), "mx.remote.test")).isTrue();
        assertThat(AuthenticationResults.claims(new HeaderBlock.Field("Authentication-Results",
            "Authentication-Results:\r\n\tmx.remote.test;dkim=pass"), "mx.remote.test")).isTrue();
        assertThat(AuthenticationResults.claims(new HeaderBlock.Field("Authentication-Results",
            "Authentication-Results: mx.remote.test.evil; dkim=pass"), "mx.remote.test")).isFalse();
        assertThat(AuthenticationResults.claims(new HeaderBlock.Field("ARC-Authentication-Results",
            "ARC-Authentication-Results: i=1; mx.remote.test; dkim=pass"), "mx.remote.test")).isFalse();
    }
}
