package org.letterbox.delivery.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.X509TrustManager;

import org.xbill.DNS.TLSARecord;

/**
 * Checks a server's certificate against the TLSA records of its MX host (RFC 7672 §3): usage 3 (DANE-EE) matches
 * the server's own certificate or key, and nothing else is checked (no names, no dates); usage 2 (DANE-TA) matches a
 * certificate of the chain the server sent, which must then sign its way down to the server's certificate, and that
 * certificate must be valid now and name the MX host. Usages 0 and 1 are not for SMTP (§3.1.3) and never match.
 */
final class DaneTrust implements X509TrustManager {

    private final List<TLSARecord> records;
    private final String hostName;

    DaneTrust(List<TLSARecord> records, String hostName) {
        this.records = List.copyOf(records);
        this.hostName = hostName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("DANE: the server sent no certificate");
        }
        for (TLSARecord record : records) {
            if (record.getCertificateUsage() == TLSARecord.CertificateUsage.DOMAIN_ISSUED_CERTIFICATE
                && matches(record, chain[0])) {
                return;
            }
        }
        for (TLSARecord record : records) {
            if (record.getCertificateUsage() != TLSARecord.CertificateUsage.TRUST_ANCHOR_ASSERTION) {
                continue;
            }
            for (int anchor = 0; anchor < chain.length; anchor++) {
                if (matches(record, chain[anchor]) && signedDownFrom(chain, anchor)) {
                    chain[0].checkValidity();
                    if (!HostNames.certificateNames(chain[0], hostName)) {
                        throw new CertificateException("DANE: the certificate does not name " + hostName);
                    }
                    return;
                }
            }
        }
        throw new CertificateException("DANE: no TLSA record of " + hostName + " matches the server's certificate");
    }

    private static boolean signedDownFrom(X509Certificate[] chain, int anchor) {
        try {
            for (int i = anchor; i > 0; i--) {
                chain[i - 1].verify(chain[i].getPublicKey());
            }
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static boolean matches(TLSARecord record, X509Certificate certificate) {
        try {
            byte[] selected = switch (record.getSelector()) {
                case TLSARecord.Selector.FULL_CERTIFICATE -> certificate.getEncoded();
                case TLSARecord.Selector.SUBJECT_PUBLIC_KEY_INFO -> certificate.getPublicKey().getEncoded();
                default -> null;
            };
            if (selected == null) {
                return false;
            }
            byte[] expected = record.getCertificateAssociationData();
            return switch (record.getMatchingType()) {
                case TLSARecord.MatchingType.EXACT -> Arrays.equals(selected, expected);
                case TLSARecord.MatchingType.SHA256 -> Arrays.equals(MessageDigest.getInstance("SHA-256").digest(selected), expected);
                case TLSARecord.MatchingType.SHA512 -> Arrays.equals(MessageDigest.getInstance("SHA-512").digest(selected), expected);
                default -> false;
            };
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
