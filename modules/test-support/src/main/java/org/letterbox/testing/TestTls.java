package org.letterbox.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Real TLS for tests: a self-signed certificate for localhost / 127.0.0.1 made once per JVM with the JDK's
 * keytool, a server context over it, and a client context that trusts it.
 */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keyStore;

    private TestTls() {
    }

    private static synchronized KeyStore keyStore() throws Exception {
        if (keyStore == null) {
            Path dir = Files.createTempDirectory("letterbox-tls");
            Path file = dir.resolve("server.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            keyStore = store;
        }
        return keyStore;
    }

    /** A server-side context with the test certificate. */
    public static SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client-side context that accepts any certificate: for tests that look at which certificate a server shows,
     * or that follow a server's self-signed one as a user who accepted it would.
     */
    public static SSLContext acceptingAnyCertificate() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client-side context that trusts the test certificate (and only it). */
    public static SSLContext clientContext() {
        try {
            X509Certificate certificate = (X509Certificate) keyStore().getCertificate("server");
            TrustManager trust = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
                    if (!chain[0].equals(certificate)) {
                        throw new java.security.cert.CertificateException("not the test certificate");
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[] {certificate};
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.Map<String, Identity> IDENTITIES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A self-signed certificate for some DNS names, and a server context over it. */
    public record Identity(SSLContext server, X509Certificate certificate) {
    }

    /** A certificate for {@code dnsNames} (made once per JVM per set of names) and its server context. */
    public static synchronized Identity identity(String... dnsNames) {
        String key = String.join(",", dnsNames);
        Identity known = IDENTITIES.get(key);
        if (known != null) {
            return known;
        }
        try {
            Path dir = Files.createTempDirectory("letterbox-tls");
            Path file = dir.resolve("identity.p12");
            StringBuilder san = new StringBuilder();
            for (String name : dnsNames) {
                san.append(san.length() == 0 ? "SAN=" : ",").append("dns:").append(name);
            }
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + dnsNames[0], "-ext", san.toString(),
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            Identity identity = new Identity(context, (X509Certificate) store.getCertificate("server"));
            IDENTITIES.put(key, identity);
            return identity;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKIX trust manager whose only roots are these certificates: a WebPKI check, with test roots. */
    public static X509TrustManager trusting(X509Certificate... roots) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.length; i++) {
                store.setCertificateEntry("root" + i, roots[i]);
            }
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate issued by a certificate authority of its own: the server's context (which sends both) and the authority. */
    public record Issued(SSLContext server, X509Certificate certificate, X509Certificate authority) {
    }

    private static final java.util.Map<String, Issued> ISSUED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A certificate for {@code dnsName} signed by a test authority called {@code authorityName} (made once per JVM). */
    public static synchronized Issued issued(String authorityName, String dnsName) {
        String key = authorityName + "/" + dnsName;
        Issued known = ISSUED.get(key);
        if (known != null) {
            return known;
        }
        try {
            Path dir = Files.createTempDirectory("letterbox-tls-ca");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String store = dir.resolve("issued.p12").toString();
            String pass = new String(PASSWORD);
            keytool(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + authorityName, "-ext", "bc:c", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", store, "-storepass", pass, "-keypass", pass);
            keytool(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + dnsName, "-validity", "30", "-storetype", "PKCS12",
                "-keystore", store, "-storepass", pass, "-keypass", pass);
            String request = dir.resolve("server.csr").toString();
            keytool(keytool, "-certreq", "-alias", "server", "-keystore", store, "-storepass", pass, "-file", request);
            String signed = dir.resolve("server.crt").toString();
            keytool(keytool, "-gencert", "-alias", "ca", "-keystore", store, "-storepass", pass, "-infile", request,
                "-outfile", signed, "-ext", "SAN=dns:" + dnsName, "-validity", "30", "-rfc");
            String authority = dir.resolve("ca.crt").toString();
            keytool(keytool, "-exportcert", "-alias", "ca", "-keystore", store, "-storepass", pass, "-file", authority, "-rfc");
            // the chain: the signed certificate, then the authority
            Files.writeString(Path.of(signed), Files.readString(Path.of(signed)) + Files.readString(Path.of(authority)));
            keytool(keytool, "-importcert", "-alias", "server", "-keystore", store, "-storepass", pass, "-file", signed,
                "-noprompt");
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(store))) {
                keyStore.load(in, PASSWORD);
            }
            keyStore.deleteEntry("ca");
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            java.security.cert.Certificate[] chain = keyStore.getCertificateChain("server");
            Issued issued = new Issued(context, (X509Certificate) chain[0], (X509Certificate) chain[chain.length - 1]);
            ISSUED.put(key, issued);
            return issued;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
