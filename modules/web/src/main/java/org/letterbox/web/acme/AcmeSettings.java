package org.letterbox.web.acme;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How certificates are obtained.
 *
 * @param directory the CA's ACME directory URL
 * @param email a contact address given to the CA (expiry warnings), if any
 * @param trustCertificate an extra CA certificate (PEM) to trust for the ACME server's own HTTPS, for test servers
 * @param files where the account key, the certificate chain and its key are kept (mode 0600)
 * @param renewBefore how long before expiry a certificate is renewed
 * @param retryAfter how long after a failed attempt the next one is made
 * @param checkEvery how often the certificate is looked at
 * @param challenge how the CA checks that the names lead here
 */
public record AcmeSettings(URI directory, Optional<String> email, Optional<Path> trustCertificate, Path files,
                           Duration renewBefore, Duration retryAfter, Duration checkEvery, Challenge challenge) {

    /** The ACME challenge answered. */
    public enum Challenge {
        /** A file over plain HTTP on port 80 (RFC 8555 §8.3). */
        HTTP_01,
        /** A validation certificate over TLS on port 443, for the {@code acme-tls/1} protocol (RFC 8737). */
        TLS_ALPN_01;

        /** {@code http-01} or {@code tls-alpn-01}. */
        public static Challenge parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "http-01" -> HTTP_01;
                case "tls-alpn-01" -> TLS_ALPN_01;
                default -> throw new IllegalArgumentException("the ACME challenge is http-01 or tls-alpn-01, not " + text);
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
    public static final String LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
    public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofHours(1);
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofHours(12);

    /** {@code letsencrypt}, {@code letsencrypt-staging}, or a directory URL. */
    public static URI directory(String name) {
        String url = switch (name.toLowerCase(Locale.ROOT)) {
            case "letsencrypt" -> LETS_ENCRYPT;
            case "letsencrypt-staging" -> LETS_ENCRYPT_STAGING;
            default -> name;
        };
        URI uri = URI.create(url);
        if (!"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("an ACME directory is letsencrypt, letsencrypt-staging or an https URL, not " + name);
        }
        return uri;
    }

    /** The certificate chain (PEM), as the listeners load it. */
    public Path chainFile() {
        return files.resolve("fullchain.pem");
    }

    /** The certificate's private key (PKCS#8 PEM). */
    public Path keyFile() {
        return files.resolve("privkey.pem");
    }

    Path accountKeyFile() {
        return files.resolve("account.pem");
    }
}
