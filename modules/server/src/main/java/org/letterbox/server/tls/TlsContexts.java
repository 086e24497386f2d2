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
 * directory with the JDK's keytool and kept as such a PEM pair. Listeners enable TLS 1.2 and 1.3 only.
 */
public final class TlsContexts {

    private static final Logger LOGGER = LoggerFactory.getLogger(TlsContexts.class);
    /** Protects a keystore that never leaves memory (the PEM pair); JKS's protection costs no key derivation. */
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();
    /** The password of self-signed keystores written before each installation got its own (read once, converted). */
    private static final char[] LEGACY_PASSWORD = "letterbox".toCharArray();
    /** keytool's keystore is read and deleted at once; its key then lives in self-signed.key (0600). */
    private static final char[] KEYTOOL_PASSWORD = "transient".toCharArray();

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
            // PKCS12 would protect the key with a 10,000-round PBKDF2 here and derive it again in init below
            KeyStore store = KeyStore.getInstance("JKS");
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
     * The self-signed certificate in {@code dataDirectory/tls/}, created on first use: {@code self-signed.crt} and
     * its key {@code self-signed.key} (PKCS#8, 0600), PEM files as for a configured certificate, so that a start
     * reads them without the key derivations a password-protected keystore costs (three 10,000-round PBKDF2s and
     * their compilation: about 0.3 s of a start). A keystore {@code self-signed.p12} from an older release is
     * converted once, keeping its key and certificate (and so the fingerprint clients accepted).
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
        Path certificate = directory.resolve("self-signed.crt");
        Path key = directory.resolve("self-signed.key");
        try {
            OwnerOnly.directory(directory);
            if (!Files.exists(certificate) || !Files.exists(key)) {
                Path keystore = directory.resolve("self-signed.p12");
                Path passwordFile = directory.resolve("self-signed.pass");
                if (Files.exists(keystore)) {
                    char[] password = Files.exists(passwordFile)
                        ? Files.readString(passwordFile).trim().toCharArray() : LEGACY_PASSWORD;
                    writePemPair(load(keystore, password), password, certificate, key);
                    LOGGER.info("converted the self-signed TLS certificate {} to {} and {}", keystore, certificate, key);
                } else {
                    writePemPair(generate(directory, hostname), KEYTOOL_PASSWORD, certificate, key);
                    LOGGER.info("generated a self-signed TLS certificate for {} in {}", hostname, certificate);
                }
                Files.deleteIfExists(keystore);
                Files.deleteIfExists(passwordFile);
            }
            OwnerOnly.file(key);
            OwnerOnly.file(certificate);
            return pemKeyManager(certificate, key);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the self-signed certificate " + certificate + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + certificate, e);
        }
    }

    /** A new EC P-256 key and self-signed certificate for {@code hostname}, made by the JDK's keytool. */
    private static KeyStore generate(Path directory, String hostname)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        // keytool writes a keystore; it lives only until its pair is read out of it
        Path temporary = directory.resolve("self-signed." + ProcessHandle.current().pid() + ".p12.tmp");
        Files.deleteIfExists(temporary);
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            ProcessBuilder builder = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + hostname,
                "-ext", "SAN=dns:" + hostname + (hostname.equals("localhost") ? ",ip:127.0.0.1" : ""),
                "-validity", "3650", "-storetype", "PKCS12", "-keystore", temporary.toString(),
                "-storepass:env", "LETTERBOX_KEYSTORE_PASSWORD", "-keypass:env", "LETTERBOX_KEYSTORE_PASSWORD")
                .redirectErrorStream(true);
            builder.environment().put("LETTERBOX_KEYSTORE_PASSWORD", new String(KEYTOOL_PASSWORD));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IOException("keytool failed: " + output.trim());
            }
            return load(temporary, KEYTOOL_PASSWORD);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static KeyStore load(Path file, char[] password) throws IOException, java.security.GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    /** Writes the key (0600) and then the certificate, each beside its place and moved into it. */
    private static void writePemPair(KeyStore store, char[] password, Path certificate, Path key)
            throws IOException, java.security.GeneralSecurityException {
        java.security.Key privateKey = store.getKey("server", password);
        Certificate[] chain = store.getCertificateChain("server");
        if (privateKey == null || chain == null || chain.length == 0) {
            throw new java.security.KeyStoreException("no key and certificate under the alias server");
        }
        StringBuilder certificates = new StringBuilder();
        for (Certificate link : chain) {
            certificates.append(pem("CERTIFICATE", link.getEncoded()));
        }
        writeOwnerOnly(key, pem("PRIVATE KEY", privateKey.getEncoded()));
        writeOwnerOnly(certificate, certificates.toString());
    }

    private static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        OwnerOnly.write(temporary, text.getBytes(StandardCharsets.US_ASCII));
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void logFingerprint(X509Certificate certificate, String source) throws java.security.GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        String hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        LOGGER.info("TLS certificate {} ({}), SHA-256 fingerprint {}", certificate.getSubjectX500Principal().getName(), source, hex);
    }
}
