package org.letterbox.mailauth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.DkimAlgorithm;
import org.letterbox.mailauth.dkim.DkimKey;

/**
 * ARC against an independent implementation, Debian's python3-dkim (dkimpy, with python3-authres): a chain of two
 * sets dkimpy seals passes with our verifier and fails once the body changes; a chain sealed by the fixture passes
 * with dkimpy's. Skipped where those packages are not installed; {@code .ci/run} installs them.
 */
class IndependentArcTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String MESSAGE = "From: Alice <alice@example.test>\r\nTo: list@lists.test\r\nSubject: minutes\r\n"
        + "Date: Sat, 5 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.test>\r\n\r\nThe minutes.\r\n";

    private final Map<String, String> records = new HashMap<>();
    private final ArcVerifier verifier = new ArcVerifier(name -> records.containsKey(name)
        ? new DnsAnswer.Found<>(List.of(records.get(name)), false) : new DnsAnswer.NotFound<>(name, false, false));

    private static void assumeDkimpy() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import dkim, nacl, authres").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
            "python3-dkim, python3-nacl and python3-authres are not installed");
    }

    private static String python(String script, String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private DkimKey publish(DkimKey key) {
        records.put(key.dnsName(), key.dnsRecord());
        return key;
    }

    private static String pem(DkimKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.privateKeyPkcs8())
            + "\n-----END PRIVATE KEY-----\n";
    }

    /** dkimpy's ARC set for {@code message}, which carries the sealer's Authentication-Results; the set on top. */
    private static String dkimpySeal(String message, DkimKey key, String authservId) throws Exception {
        String script = "import dkim, sys\n"
            + "message = sys.stdin.buffer.read()\n"
            + "lines = dkim.arc_sign(message, sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3].encode(),"
            + " sys.argv[4].encode(), include_headers=[b'from', b'to', b'subject', b'date', b'message-id'])\n"
            + "sys.stdout.buffer.write(b''.join(lines) + message)\n";
        return python(script, message, key.selector(), key.domain(), pem(key), authservId)
            .replace("\r\n", "\n").replace("\n", "\r\n");
    }

    @Test
    void aChainDkimpySealsPassesWithOursAndABodyChangeFailsIt() throws Exception {
        assumeDkimpy();
        DkimKey list = publish(DkimKey.generate("lists.test", "arc", DkimAlgorithm.RSA_SHA256));
        DkimKey forwarder = publish(DkimKey.generate("fwd.test", "arc", DkimAlgorithm.RSA_SHA256));
        String once = dkimpySeal("Authentication-Results: mx.lists.test; spf=pass smtp.mailfrom=example.test\r\n" + MESSAGE,
            list, "mx.lists.test");
        String twice = dkimpySeal("Authentication-Results: mx.fwd.test; arc=pass header.d=lists.test\r\n" + once,
            forwarder, "mx.fwd.test");
        assertThat(ArcSealing.verify(verifier, twice)).isEqualTo(new ArcResult(ArcResult.Status.PASS, 2, "fwd.test", ""));
        assertThat(ArcSealing.verify(verifier, twice.replace("The minutes.", "Other minutes.")).reason())
            .isEqualTo("ARC-Message-Signature 2: body hash did not verify");
    }

    @Test
    void aChainSealedHereVerifiesWithDkimpy() throws Exception {
        assumeDkimpy();
        DkimKey list = publish(DkimKey.generate("lists.test", "arc", DkimAlgorithm.RSA_SHA256));
        // dkimpy's ARC knows RSA only (ArcVerifierTest has an Ed25519 sealer)
        DkimKey forwarder = publish(DkimKey.generate("fwd.test", "arc", DkimAlgorithm.RSA_SHA256));
        String chain = ArcSealing.seal(ArcSealing.seal(MESSAGE, list, "mx.lists.test", "spf=pass smtp.mailfrom=example.test", "none"),
            forwarder, "mx.fwd.test", "arc=pass header.d=lists.test", "pass");
        String script = "import dkim, sys\n"
            + "records = {sys.argv[1].encode() + b'.': sys.argv[2].encode(), sys.argv[3].encode() + b'.': sys.argv[4].encode()}\n"
            + "cv, results, reason = dkim.arc_verify(sys.stdin.buffer.read(), dnsfunc=lambda name, timeout=5: records.get(name))\n"
            + "print(cv.decode(), reason)\n";
        assertThat(python(script, chain, list.dnsName(), list.dnsRecord(), forwarder.dnsName(), forwarder.dnsRecord()).strip())
            .startsWith("pass ");
    }
}
