package org.letterbox.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.X509ExtendedKeyManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-signed certificate: a PEM pair of its own per installation, the key owner-only, read again unchanged at
 * the next start, and a keystore from an older release converted with its key and certificate kept.
 */
class SelfSignedCertificateTest {

    @TempDir
    Path one;
    @TempDir
    Path two;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static X509Certificate certificate(Path dataDirectory) throws Exception {
        try (var in = Files.newInputStream(dataDirectory.resolve("tls/self-signed.crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey key(Path dataDirectory) throws Exception {
        String pem = Files.readString(dataDirectory.resolve("tls/self-signed.key"), StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
    }

    /** An installation of an older release: the same pair in self-signed.p12 under {@code password}. */
    private static void writeOldKeystore(Path dataDirectory, char[] password) throws Exception {
        KeyStore old = KeyStore.getInstance("PKCS12");
        old.load(null, null);
        old.setKeyEntry("server", key(dataDirectory), password, new Certificate[] {certificate(dataDirectory)});
        try (OutputStream out = Files.newOutputStream(dataDirectory.resolve("tls/self-signed.p12"))) {
            old.store(out, password);
        }
        Files.delete(dataDirectory.resolve("tls/self-signed.crt"));
        Files.delete(dataDirectory.resolve("tls/self-signed.key"));
    }

    @Test
    void eachInstallationHasAPairOfItsOwnAndTheKeyIsOwnerOnly() throws Exception {
        X509ExtendedKeyManager served = TlsContexts.selfSignedKeyManager(one, "localhost");
        TlsContexts.selfSigned(two, "localhost");

        assertThat(key(one)).isNotEqualTo(key(two));
        assertThat(certificate(one).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(served.getCertificateChain("server")[0]).isEqualTo(certificate(one));
        assertThat(served.getPrivateKey("server")).isEqualTo(key(one));
        assertThat(mode(one.resolve("tls/self-signed.key"))).isEqualTo("rw-------");
        assertThat(mode(one.resolve("tls/self-signed.crt"))).isEqualTo("rw-------");
        assertThat(mode(one.resolve("tls"))).isEqualTo("rwx------");
        try (var files = Files.list(one.resolve("tls"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                .containsExactlyInAnyOrder("self-signed.crt", "self-signed.key");
        }
    }

    @Test
    void theNextStartServesTheSamePairUnchanged() throws Exception {
        TlsContexts.selfSigned(one, "localhost");
        byte[] certificate = Files.readAllBytes(one.resolve("tls/self-signed.crt"));
        byte[] key = Files.readAllBytes(one.resolve("tls/self-signed.key"));

        X509ExtendedKeyManager again = TlsContexts.selfSignedKeyManager(one, "localhost");

        assertThat(Files.readAllBytes(one.resolve("tls/self-signed.crt"))).isEqualTo(certificate);
        assertThat(Files.readAllBytes(one.resolve("tls/self-signed.key"))).isEqualTo(key);
        assertThat(again.getCertificateChain("server")[0].getEncoded())
            .isEqualTo(CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate))
                .getEncoded());
    }

    @Test
    void aKeystoreUnderItsInstallationsPasswordIsConvertedWithItsKeyAndCertificate() throws Exception {
        TlsContexts.selfSigned(one, "localhost");
        PrivateKey key = key(one);
        X509Certificate certificate = certificate(one);
        writeOldKeystore(one, "per-installation-password".toCharArray());
        Files.writeString(one.resolve("tls/self-signed.pass"), "per-installation-password\n");

        X509ExtendedKeyManager served = TlsContexts.selfSignedKeyManager(one, "localhost");

        assertThat(key(one)).isEqualTo(key);
        assertThat(certificate(one)).isEqualTo(certificate);
        assertThat(served.getPrivateKey("server")).isEqualTo(key);
        assertThat(one.resolve("tls/self-signed.p12")).doesNotExist();
        assertThat(one.resolve("tls/self-signed.pass")).doesNotExist();
        assertThat(mode(one.resolve("tls/self-signed.key"))).isEqualTo("rw-------");
    }

    @Test
    void aKeystoreUnderTheOldSharedPasswordIsConvertedToo() throws Exception {
        TlsContexts.selfSigned(one, "localhost");
        X509Certificate certificate = certificate(one);
        writeOldKeystore(one, "letterbox".toCharArray());

        TlsContexts.selfSigned(one, "localhost");

        assertThat(certificate(one)).isEqualTo(certificate);
        assertThat(one.resolve("tls/self-signed.p12")).doesNotExist();
    }
}
