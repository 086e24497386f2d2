package org.letterbox.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnsAnswer;

/** Our DKIM signatures checked by our own verifier: what passes, and what a change in transit makes fail. */
class DkimTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final String MESSAGE = "From: Alice <alice@example.test>\r\nTo: bob@remote.test\r\n"
        + "Subject: dinner\r\nDate: Sat, 5 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.test>\r\n\r\n"
        + "Hi Bob.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n";

    private final DkimKey rsa = DkimKey.generate("example.test", "lb20261205r", DkimAlgorithm.RSA_SHA256);
    private final DkimKey ed = DkimKey.generate("example.test", "lb20261205e", DkimAlgorithm.ED25519_SHA256);
    private final Map<String, DnsAnswer<String>> dns = new HashMap<>();

    DkimTest() {
        publish(rsa);
        publish(ed);
    }

    private void publish(DkimKey key) {
        dns.put(key.dnsName(), new DnsAnswer.Found<>(List.of(key.dnsRecord()), false));
    }

    private String signed(String message, DkimKey... keys) throws Exception {
        List<String> signatures = DkimSigner.sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
            List.of(keys), NOW);
        return String.join("", signatures) + message;
    }

    private List<DkimResult> verify(String message) throws Exception {
        return new DkimVerifier(name -> dns.getOrDefault(name, new DnsAnswer.NotFound<>(name, false, false)))
            .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), NOW);
    }

    private static List<DkimResult.Status> statuses(List<DkimResult> results) {
        return results.stream().map(DkimResult::status).toList();
    }

    @Test
    void bothSignaturesOfADualSignedMessagePass() throws Exception {
        String message = signed(MESSAGE, rsa, ed);
        assertThat(message).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=lb20261205r;");
        List<DkimResult> results = verify(message);
        assertThat(statuses(results)).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(results).extracting(DkimResult::selector).containsExactly("lb20261205r", "lb20261205e");
        assertThat(results.get(1).algorithm()).contains(DkimAlgorithm.ED25519_SHA256);
    }

    @Test
    void fromAndSubjectAreOverSignedAndTheUsualHeadersSigned() throws Exception {
        String message = signed(MESSAGE, ed);
        assertThat(message).contains("h=From:To:Subject:Date:Message-ID:From:Subject;");
    }

    @Test
    void anEd25519SignatureAlonePasses() throws Exception {
        assertThat(statuses(verify(signed(MESSAGE, ed)))).containsExactly(DkimResult.Status.PASS);
    }

    @Test
    void relaxedCanonicalizationToleratesWhatRelaysDo() throws Exception {
        String message = signed(MESSAGE, rsa, ed)
            .replace("Subject: dinner\r\n", "subject:    dinner \r\n")
            .replace("We lost the game.  Are you hungry yet?\r\n", "We lost  the game.  Are you hungry yet?   \r\n\r\n\r\n");
        assertThat(statuses(verify(message))).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
    }

    @Test
    void aChangedBodyFailsTheBodyHash() throws Exception {
        String message = signed(MESSAGE, rsa, ed).replace("hungry", "thirsty");
        List<DkimResult> results = verify(message);
        assertThat(statuses(results)).containsExactly(DkimResult.Status.FAIL, DkimResult.Status.FAIL);
        assertThat(results.get(0).reason()).isEqualTo("body hash did not verify");
    }

    @Test
    void aChangedSignedHeaderFailsTheSignature() throws Exception {
        List<DkimResult> results = verify(signed(MESSAGE, rsa, ed).replace("Subject: dinner", "Subject: lunch"));
        assertThat(statuses(results)).containsExactly(DkimResult.Status.FAIL, DkimResult.Status.FAIL);
        assertThat(results.get(0).reason()).isEqualTo("signature did not verify");
    }

    @Test
    void aSecondFromAddedInTransitFailsBecauseFromIsOverSigned() throws Exception {
        String message = signed(MESSAGE, ed).replace("From: Alice <alice@example.test>\r\n",
            "From: Alice <alice@example.test>\r\nFrom: mallory@evil.test\r\n");
        assertThat(statuses(verify(message))).containsExactly(DkimResult.Status.FAIL);
    }

    @Test
    void aMissingOrRevokedKeyIsAPermanentErrorAndAFailedLookupATemporaryOne() throws Exception {
        String message = signed(MESSAGE, rsa, ed);
        dns.remove(rsa.dnsName());
        dns.put(ed.dnsName(), new DnsAnswer.Found<>(List.of("v=DKIM1; k=ed25519; p="), false));
        List<DkimResult> results = verify(message);
        assertThat(statuses(results)).containsExactly(DkimResult.Status.PERMERROR, DkimResult.Status.PERMERROR);
        assertThat(results.get(1).reason()).isEqualTo("key revoked");
        dns.put(rsa.dnsName(), new DnsAnswer.TemporaryFailure<>("SERVFAIL"));
        assertThat(verify(message).get(0).status()).isEqualTo(DkimResult.Status.TEMPERROR);
    }

    @Test
    void aKeyOfTheWrongTypeOrAnUnknownAlgorithmIsAPermanentError() throws Exception {
        String message = signed(MESSAGE, ed);
        dns.put(ed.dnsName(), new DnsAnswer.Found<>(List.of(rsa.dnsRecord()), false));
        assertThat(verify(message).get(0).reason()).startsWith("key type rsa does not fit");
        String sha1 = signed(MESSAGE, rsa).replace("a=rsa-sha256", "a=rsa-sha1");
        assertThat(verify(sha1).get(0).reason()).isEqualTo("unsupported algorithm rsa-sha1");
    }

    @Test
    void aMessageWithoutSignaturesHasNoResults() throws Exception {
        assertThat(verify(MESSAGE)).isEmpty();
    }

    @Test
    void keyRecordsAreWhatDnsWants() {
        assertThat(rsa.dnsName()).isEqualTo("lb20261205r._domainkey.example.test");
        assertThat(rsa.dnsRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
        assertThat(ed.dnsRecord()).startsWith("v=DKIM1; k=ed25519; p=").hasSize("v=DKIM1; k=ed25519; p=".length() + 44);
        DkimKey restored = DkimKey.of("example.test", "lb20261205e", DkimAlgorithm.ED25519_SHA256, ed.privateKeyPkcs8(),
            ed.publicKeyData());
        assertThat(restored).isEqualTo(ed);
    }
}
