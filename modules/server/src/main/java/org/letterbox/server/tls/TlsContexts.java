package org.letterbox.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.letterbox.store.files.OwnerOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS context: from PEM files (a certificate chain and a PKCS#8 private key, as certbot writes them),
 * or, when none is configured, from a self-signed certificate for the hostname made on first start in the data
 * directory with the JDK's keytool. Listeners enable TLS 1.2 and 1.3 only.
 */
public final class TlsContexts {

    private static final Logger LOGGER = LoggerFactory.getLogger(TlsContexts.class);
    /** Protects a keystore that never leaves memory (the configured PEM pair). */
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();
    /** The password of keystores written before each installation got its own (read once, then replaced). */
    private static final char[] LEGACY_PASSWORD = "letterbox".toCharArray();

    private TlsContexts() {
    }

    public static SSLContext fromPem(Path certificateChain, Path privateKey) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {pemKeyManager(certificateChain, privateKey)}, null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The key manager for a PEM chain and PKCS#8 key; logs the certificate's SHA-256 fingerprint. */
    static javax.net.ssl.X509ExtendedKeyManager pemKeyManager(Path certificateChain, Path privateKey) {
        try {
            List<Certificate> chain = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            try (InputStream in = Files.newInputStream(certificateChain)) {
                chain.addAll(factory.generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(certificateChain + " holds no certificate");
            }
            PrivateKey key = readPkcs8(Files.readString(privateKey, StandardCharsets.US_ASCII), privateKey);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            logFingerprint((X509Certificate) chain.get(0), certificateChain.toString());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, IN_MEMORY_PASSWORD);
            return (javax.net.ssl.X509ExtendedKeyManager) keys.getKeyManagers()[0];
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certificateChain + " and key " + privateKey
                + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey readPkcs8(String pem, Path file) throws java.security.GeneralSecurityException {
        Matcher m = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----").matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.spec.InvalidKeySpecException wrongAlgorithm) {
                // try the next one
            }
        }
        throw new IllegalArgumentException(file + ": unsupported key algorithm");
    }

    /**
     * The self-signed certificate in {@code dataDirectory/tls/}, created on first use. The keystore (0600) is
     * protected by a password made at random for this installation, kept beside it in {@code self-signed.pass}
     * (0600) and handed to keytool through its environment, never on a command line.
     */
    public static SSLContext selfSigned(Path dataDirectory, String hostname) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {selfSignedKeyManager(dataDirectory, hostname)}, null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The key manager of {@link #selfSigned}: what ACME's reloading certificate serves until it has a real one. */
    public static javax.net.ssl.X509ExtendedKeyManager selfSignedKeyManager(Path dataDirectory, String hostname) {
        Path directory = dataDirectory.resolve("tls");
        Path file = directory.resolve("self-signed.p12");
        Path passwordFile = directory.resolve("self-signed.pass");
        try {
            OwnerOnly.directory(directory);
            char[] password = password(passwordFile, file);
            if (!Files.exists(file)) {
                // written beside and moved into place, so a reader never sees half a keystore
                Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
                Files.deleteIfExists(temporary);
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                ProcessBuilder builder = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + hostname,
                    "-ext", "SAN=dns:" + hostname + (hostname.equals("localhost") ? ",ip:127.0.0.1" : ""),
                    "-validity", "3650", "-storetype", "PKCS12", "-keystore", temporary.toString(),
                    "-storepass:env", "LETTERBOX_KEYSTORE_PASSWORD", "-keypass:env", "LETTERBOX_KEYSTORE_PASSWORD")
                    .redirectErrorStream(true);
                builder.environment().put("LETTERBOX_KEYSTORE_PASSWORD", new String(password));
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IOException("keytool failed: " + output.trim());
                }
                OwnerOnly.file(temporary);
                Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LOGGER.info("generated a self-signed TLS certificate for {} in {}", hostname, file);
            }
            OwnerOnly.file(file);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, password);
            }
            logFingerprint((X509Certificate) store.getCertificate("server"), file.toString());
            return keyManager(store, password);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the self-signed certificate " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + file, e);
        }
    }

    /**
     * This installation's keystore password, made on first use. A keystore from before it had one is re-saved
     * under the new password (once, atomically).
     */
    private static char[] password(Path passwordFile, Path keystore) throws IOException, java.security.GeneralSecurityException {
        if (Files.exists(passwordFile)) {
            OwnerOnly.file(passwordFile);
            return Files.readString(passwordFile).trim().toCharArray();
        }
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        char[] password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        if (Files.exists(keystore)) {
            KeyStore legacy = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                legacy.load(in, LEGACY_PASSWORD);
            }
            java.security.Key key = legacy.getKey("server", LEGACY_PASSWORD);
            legacy.setKeyEntry("server", key, password, legacy.getCertificateChain("server"));
            Path temporary = keystore.resolveSibling(keystore.getFileName() + ".rekey");
            Files.deleteIfExists(temporary);
            try (java.io.OutputStream out = OwnerOnly.newFile(temporary)) {
                legacy.store(out, password);
            }
            writePassword(passwordFile, password);
            Files.move(temporary, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return password;
        }
        writePassword(passwordFile, password);
        return password;
    }

    private static void writePassword(Path passwordFile, char[] password) throws IOException {
        Path temporary = passwordFile.resolveSibling(passwordFile.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        OwnerOnly.write(temporary, (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.move(temporary, passwordFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static javax.net.ssl.X509ExtendedKeyManager keyManager(KeyStore store, char[] password)
            throws java.security.GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        for (javax.net.ssl.KeyManager manager : keys.getKeyManagers()) {
            if (manager instanceof javax.net.ssl.X509ExtendedKeyManager x509) {
                return x509;
            }
        }
        throw new java.security.KeyStoreException("no X.509 key manager");
    }

    private static void logFingerprint(X509Certificate certificate, String source) throws java.security.GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        String hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        LOGGER.info("TLS certificate {} ({}), SHA-256 fingerprint {}", certificate.getSubjectX500Principal().getName(), source, hex);
    }
}
