package org.letterbox.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Let's Encrypt's ACME test server, Debian's {@code /usr/bin/pebble}, started for one test: its own HTTPS listener
 * on a certificate made here (Pebble ships none), names resolved through a test DNS server, and http-01 challenges
 * checked on a port of the test's choosing. Issuance runs at full speed ({@code PEBBLE_VA_NOSLEEP}), no
 * authorization is reused and no nonce is rejected on purpose.
 */
public final class Pebble implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/pebble");
    private static final char[] PASSWORD = "pebble-test".toCharArray();

    private final Process process;
    private final int port;
    private final Path trust;
    private final Path log;

    private Pebble(Process process, int port, Path trust, Path log) {
        this.process = process;
        this.port = port;
        this.trust = trust;
        this.log = log;
    }

    /** Whether Pebble is installed. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * @param dnsServer {@code host:port} of the DNS server Pebble resolves names with
     * @param httpChallengePort where Pebble connects to check http-01 challenges
     */
    public static Pebble start(Path dir, String dnsServer, int httpChallengePort) throws Exception {
        return start(dir, dnsServer, httpChallengePort, FreePort.next());
    }

    /** The same, checking tls-alpn-01 challenges on {@code tlsChallengePort}. */
    public static Pebble start(Path dir, String dnsServer, int httpChallengePort, int tlsChallengePort) throws Exception {
        Files.createDirectories(dir);
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        listenerCertificate(dir, certificate, key);
        int port = FreePort.next();
        Path config = dir.resolve("pebble-config.json");
        Files.writeString(config, "{\"pebble\": {\"listenAddress\": \"127.0.0.1:" + port + "\","
            + " \"managementListenAddress\": \"127.0.0.1:" + FreePort.next() + "\","
            + " \"certificate\": \"" + certificate + "\", \"privateKey\": \"" + key + "\","
            + " \"httpPort\": " + httpChallengePort + ", \"tlsPort\": " + tlsChallengePort + ","
            + " \"ocspResponderURL\": \"\", \"externalAccountBindingRequired\": false}}\n");
        Path log = dir.resolve("pebble.log");
        ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "-config", config.toString(), "-dnsserver", dnsServer)
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        // every order is checked afresh, as a renewal after months would be
        builder.environment().put("PEBBLE_AUTHZREUSE", "0");
        Process process = builder.start();
        Pebble pebble = new Pebble(process, port, certificate, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return pebble;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        pebble.close();
        throw new IllegalStateException("pebble did not start: " + Files.readString(log));
    }

    /** The ACME directory URL. */
    public String directory() {
        return "https://127.0.0.1:" + port + "/dir";
    }

    /** The certificate of Pebble's own HTTPS listener, to trust for the ACME connection. */
    public Path listenerCertificate() {
        return trust;
    }

    /** What Pebble has logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void listenerCertificate(Path dir, Path certificate, Path key) throws Exception {
        Path store = dir.resolve("listener.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process keygen = new ProcessBuilder(keytool, "-genkeypair", "-alias", "pebble", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12",
            "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
            .redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keygen.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
            + base64.encodeToString(keyStore.getCertificate("pebble").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        PrivateKey privateKey = (PrivateKey) keyStore.getKey("pebble", PASSWORD);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(privateKey.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    }
}
