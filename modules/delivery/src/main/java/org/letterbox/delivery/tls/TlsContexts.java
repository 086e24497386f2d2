package org.letterbox.delivery.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.xbill.DNS.TLSARecord;

/** The client TLS contexts each kind of verification needs. */
public final class TlsContexts {

    private final SSLContext anyCertificate;
    private final SSLContext webPki;

    /** @param webPkiTrust the roots a WebPKI check trusts (the JDK's own when null) */
    public TlsContexts(X509TrustManager webPkiTrust) {
        try {
            this.anyCertificate = context(new AnyCertificateTrust());
            this.webPki = context(webPkiTrust != null ? webPkiTrust : jdkTrust());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up client TLS: " + e.getMessage(), e);
        }
    }

    /** The JDK's own trusted roots. */
    public static X509TrustManager jdkTrust() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }

    /** Takes any certificate: encryption without authentication, as opportunistic TLS is. */
    public SSLContext anyCertificate() {
        return anyCertificate;
    }

    /** Checks the chain against trusted roots; the caller asks for the host name check. */
    public SSLContext webPki() {
        return webPki;
    }

    /** Checks the certificate against TLSA records (RFC 7672). */
    public SSLContext dane(List<TLSARecord> records, String hostName) {
        try {
            return context(new DaneTrust(records, hostName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up DANE TLS: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, new SecureRandom());
        return context;
    }

    private static final class AnyCertificateTrust implements X509TrustManager {
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
    }
}
