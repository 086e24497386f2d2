package org.letterbox.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;

/** PEM files as certbot writes them, replaced while the server runs: new connections get the new certificate. */
class ReloadingCertificateTest {

    @TempDir
    Path dir;

    /** Writes {@code cert.pem} and {@code key.pem} (PKCS#8) for a fresh EC key with CN={@code name}. */
    private void writePem(String name) throws Exception {
        Path p12 = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "k", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
            "-storepass", "pw1234", "-keypass", "pw1234").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, "pw1234".toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String cert = "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(store.getCertificate("k").getEncoded())
            + "\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(store.getKey("k", "pw1234".toCharArray()).getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve("cert.pem"), cert);
        Files.writeString(dir.resolve("key.pem"), key);
        // a later modification time even on a coarse clock
        FileTime later = FileTime.fromMillis(System.currentTimeMillis() + (name.equals("first.test") ? 0 : 5_000));
        Files.setLastModifiedTime(dir.resolve("cert.pem"), later);
        Files.setLastModifiedTime(dir.resolve("key.pem"), later);
    }

    private static String presentedName(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) { }
            public void checkServerTrusted(X509Certificate[] chain, String type) { }
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        writePem("first.test");
        int imaps = FreePort.next();
        Path config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "dataDirectory: " + dir.resolve("data") + "\n"
            + "tls: { certificate: " + dir.resolve("cert.pem") + ", privateKey: " + dir.resolve("key.pem") + " }\n"
            + "smtp:\n  mx: { enabled: false }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { port: " + imaps + " }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n");
        try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(config))) {
            assertThat(presentedName(imaps)).isEqualTo("CN=first.test");
            assertThat(server.certificate().reloadIfChanged()).isFalse();

            writePem("second.test");
            assertThat(server.certificate().reloadIfChanged()).isTrue();
            assertThat(presentedName(imaps)).isEqualTo("CN=second.test");

            // a broken pair (half-written by a renewal) is refused and the last good one stays
            Files.writeString(dir.resolve("key.pem"), "not a key");
            Files.setLastModifiedTime(dir.resolve("key.pem"), FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            assertThat(server.certificate().reloadIfChanged()).isFalse();
            assertThat(presentedName(imaps)).isEqualTo("CN=second.test");
        }
    }
}
