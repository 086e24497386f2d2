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
 */
public record AcmeSettings(URI directory, Optional<String> email, Optional<Path> trustCertificate, Path files,
                           Duration renewBefore, Duration retryAfter, Duration checkEvery) {

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
