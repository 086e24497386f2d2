package org.letterbox.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.letterbox.dns.DnsAnswer;

/**
 * DKIM against an independent implementation, Debian's python3-dkim (dkimpy): the RFC 8463 example (the RFC 6376
 * message signed with the RFC 8032 Ed25519 key, and with RSA) as dkimpy ships it verifies with our verifier;
 * messages we sign verify with dkimpy; messages dkimpy signs, in every canonicalization, verify with ours. Skipped
 * where python3-dkim (and python3-nacl, for Ed25519) is not installed; {@code .ci/run} installs them.
 */
class IndependentDkimTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path DKIMPY_DATA = Path.of("/usr/lib/python3/dist-packages/dkim/tests/data");
    /** The Ed25519 public key of RFC 8032 §7.1 test 1, which RFC 8463's example publishes for brisbane. */
    private static final String RFC_8463_ED25519 = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    private static final String MESSAGE = "From: Alice <alice@example.test>\r\nTo: bob@remote.test\r\n"
        + "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nDate: Sat, 5 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m2@example.test>\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTwo  spaces, a tab\there,\r\n.a dot\r\n\r\n";

    private static void assumeDkimpy() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import dkim, nacl").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
            "python3-dkim and python3-nacl are not installed");
    }

    /** Runs a Python script with {@code input} on its standard input; its standard output. */
    private static String python(String script, byte[] input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write(input);
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }

    private static List<DkimResult> ours(byte[] message, Map<String, String> records) throws Exception {
        return new DkimVerifier(name -> records.containsKey(name)
            ? new DnsAnswer.Found<>(List.of(records.get(name)), false)
            : new DnsAnswer.NotFound<>(name, false, false))
            .verify(new ByteArrayInputStream(message), Instant.now());
    }

    @Test
    void theRfc8463ExampleAsDkimpyShipsItVerifies() throws Exception {
        Path example = DKIMPY_DATA.resolve("rfc6376.signed.msg");
        assumeTrue(Files.isReadable(example) && Files.isReadable(DKIMPY_DATA.resolve("test.txt")),
            "python3-dkim's test data is not installed");
        byte[] message = Files.readString(example, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        Map<String, String> records = Map.of(
            "brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=" + RFC_8463_ED25519,
            "test._domainkey.football.example.com", Files.readString(DKIMPY_DATA.resolve("test.txt")).strip());
        List<DkimResult> results = ours(message, records);
        assertThat(results).extracting(DkimResult::status)
            .containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(results).extracting(DkimResult::selector).containsExactly("brisbane", "test");
    }

    @Test
    void whatWeSignDkimpyVerifies() throws Exception {
        assumeDkimpy();
        DkimKey rsa = DkimKey.generate("example.test", "lbr", DkimAlgorithm.RSA_SHA256);
        DkimKey ed = DkimKey.generate("example.test", "lbe", DkimAlgorithm.ED25519_SHA256);
        byte[] signed = (String.join("", DkimSigner.sign(
            new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.UTF_8)), List.of(rsa, ed), Instant.now())) + MESSAGE)
            .getBytes(StandardCharsets.UTF_8);
        String script = "import dkim, sys\n"
            + "records = {sys.argv[1].encode() + b'.': sys.argv[2].encode(), sys.argv[3].encode() + b'.': sys.argv[4].encode()}\n"
            + "message = sys.stdin.buffer.read()\n"
            + "d = dkim.DKIM(message)\n"
            + "print(d.verify(idx=0, dnsfunc=lambda name, timeout=5: records.get(name)),"
            + " d.verify(idx=1, dnsfunc=lambda name, timeout=5: records.get(name)))\n";
        assertThat(python(script, signed, rsa.dnsName(), rsa.dnsRecord(), ed.dnsName(), ed.dnsRecord()))
            .isEqualTo("True True");
    }

    @Test
    void whatDkimpySignsWeVerifyInEveryCanonicalization() throws Exception {
        assumeDkimpy();
        DkimKey rsa = DkimKey.generate("example.test", "pyr", DkimAlgorithm.RSA_SHA256);
        DkimKey ed = DkimKey.generate("example.test", "pye", DkimAlgorithm.ED25519_SHA256);
        String rsaPem = "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.privateKeyPkcs8())
            + "\n-----END PRIVATE KEY-----\n";
        byte[] pkcs8 = ed.privateKeyPkcs8();
        String edSeed = Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length));
        Map<String, String> records = new HashMap<>();
        records.put(rsa.dnsName(), rsa.dnsRecord());
        records.put(ed.dnsName(), ed.dnsRecord());
        for (String header : List.of("simple", "relaxed")) {
            for (String body : List.of("simple", "relaxed")) {
                String script = "import dkim, sys\n"
                    + "message = sys.stdin.buffer.read()\n"
                    + "c = (sys.argv[1].encode(), sys.argv[2].encode())\n"
                    + "h = [b'from', b'to', b'subject', b'date', b'message-id', b'mime-version', b'content-type']\n"
                    + "rsa = dkim.sign(message, b'pyr', b'example.test', sys.argv[3].encode(), canonicalize=c,"
                    + " include_headers=h)\n"
                    + "ed = dkim.sign(message, b'pye', b'example.test', sys.argv[4].encode(), canonicalize=c,"
                    + " include_headers=h, signature_algorithm=b'ed25519-sha256')\n"
                    + "sys.stdout.buffer.write(rsa + ed + message)\n";
                String signed = python(script, MESSAGE.getBytes(StandardCharsets.UTF_8), header, body, rsaPem, edSeed);
                List<DkimResult> results = ours((signed.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8), records);
                assertThat(results).as(header + "/" + body).extracting(DkimResult::status)
                    .containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
            }
        }
    }
}
