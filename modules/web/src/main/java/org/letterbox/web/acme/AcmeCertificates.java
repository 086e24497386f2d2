package org.letterbox.web.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.letterbox.web.AcmeChallenges;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a certificate for this server's names (http-01 or tls-alpn-01 challenges): obtained when there is none, renewed {@link AcmeSettings#renewBefore()}
 * before it expires or when the names it must cover change. The chain and its key are written to
 * {@link AcmeSettings#chainFile()} and {@link AcmeSettings#keyFile()}, then {@code installed} is told, so the
 * listeners use the new pair at once. A failed attempt is logged and tried again after
 * {@link AcmeSettings#retryAfter()}; the certificate in use stays.
 */
public final class AcmeCertificates implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeCertificates.class);
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    /** What a check did. */
    public enum Outcome { NOT_NEEDED, OBTAINED, FAILED }

    private final AcmeSettings settings;
    private final Supplier<List<String>> names;
    private final AcmeChallenges challenges;
    private final Runnable installed;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "letterbox-acme");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param names the DNS names the certificate must cover, the host name first (asked at every check)
     * @param installed called after a new pair is written
     */
    public AcmeCertificates(AcmeSettings settings, Supplier<List<String>> names, AcmeChallenges challenges, Runnable installed,
                            Clock clock) {
        this.settings = settings;
        this.names = names;
        this.challenges = challenges;
        this.installed = installed;
        this.clock = clock;
    }

    /** Checks now, then every {@link AcmeSettings#checkEvery()} (or {@link AcmeSettings#retryAfter()} after a failure). */
    public void start() {
        scheduler.execute(this::checkAndReschedule);
    }

    private void checkAndReschedule() {
        Outcome outcome = check();
        Duration next = outcome == Outcome.FAILED ? settings.retryAfter() : settings.checkEvery();
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::checkAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Obtains a certificate if there is none, or it is due for renewal, or it misses a name. */
    public synchronized Outcome check() {
        List<String> wanted = names.get().stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().toList();
        Instant expires = null;
        try {
            if (Files.exists(settings.chainFile()) && Files.exists(settings.keyFile())) {
                X509Certificate current = Pem.readChain(settings.chainFile()).get(0);
                expires = current.getNotAfter().toInstant();
                boolean due = !clock.instant().isBefore(expires.minus(settings.renewBefore()));
                List<String> missing = wanted.stream().filter(name -> !covers(current, name)).toList();
                if (!due && missing.isEmpty()) {
                    return Outcome.NOT_NEEDED;
                }
                LOGGER.info("acme: renewing the certificate for {} ({})", wanted,
                    due ? "it expires " + expires : "it does not cover " + missing);
            } else {
                LOGGER.info("acme: obtaining a certificate for {} from {}", wanted, settings.directory());
            }
            X509Certificate obtained = obtain(wanted);
            LOGGER.info("acme: certificate for {} installed, valid until {}", wanted, obtained.getNotAfter().toInstant());
            installed.run();
            return Outcome.OBTAINED;
        } catch (AcmeException | IOException | GeneralSecurityException | RuntimeException e) {
            LOGGER.warn("acme: no certificate for {}: {}; {}; next try in {} min", wanted,
                printable(String.valueOf(e.getMessage())),
                expires == null ? "the self-signed one stays in use" : "the current one (valid until " + expires + ") stays in use",
                settings.retryAfter().toMinutes());
            return Outcome.FAILED;
        }
    }

    /** A message from the CA or the network, one line, bounded: control characters replaced. */
    static String printable(String message) {
        String line = message.replaceAll("[\\p{Cntrl}]", "?");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static boolean covers(X509Certificate certificate, String name) {
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives == null) {
                return false;
            }
            return alternatives.stream().anyMatch(entry -> Integer.valueOf(2).equals(entry.get(0))
                && name.equalsIgnoreCase(String.valueOf(entry.get(1))));
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private X509Certificate obtain(List<String> wanted) throws AcmeException, IOException, GeneralSecurityException {
        Session session = settings.trustCertificate().isPresent()
            ? new Session(settings.directory(), new TrustingProvider(trustOnly(settings.trustCertificate().get())))
            : new Session(settings.directory());
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
        settings.email().ifPresent(builder::addEmail);
        Account account = builder.create(session);
        Order order = account.newOrder().domains(wanted).create();
        for (Authorization authorization : order.getAuthorizations()) {
            if (authorization.getStatus() == Status.VALID) {
                continue;
            }
            String name = authorization.getIdentifier().getDomain();
            org.shredzone.acme4j.challenge.Challenge challenge;
            Runnable withdraw;
            if (settings.challenge() == AcmeSettings.Challenge.TLS_ALPN_01) {
                TlsAlpn01Challenge alpn = authorization.findChallenge(TlsAlpn01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no tls-alpn-01 challenge for " + name));
                challenges.addTlsAlpn(name, validationContext(alpn, authorization));
                challenge = alpn;
                withdraw = () -> challenges.removeTlsAlpn(name);
            } else {
                Http01Challenge http = authorization.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no http-01 challenge for " + name));
                challenges.add(http.getToken(), http.getAuthorization());
                challenge = http;
                withdraw = () -> challenges.remove(http.getToken());
            }
            try {
                challenge.trigger();
                Status status = challenge.waitForCompletion(STEP_TIMEOUT);
                if (status != Status.VALID) {
                    throw new AcmeException("the " + settings.challenge() + " challenge for " + name + " failed: "
                        + challenge.getError().map(Object::toString).orElse(status.toString()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AcmeException("interrupted");
            } finally {
                withdraw.run();
            }
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair domainKey = generator.generateKeyPair();
        try {
            order.waitUntilReady(STEP_TIMEOUT);
            order.execute(domainKey);
            Status status = order.waitForCompletion(STEP_TIMEOUT);
            if (status != Status.VALID) {
                throw new AcmeException("the order ended " + status + order.getError().map(error -> ": " + error).orElse(""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcmeException("interrupted");
        }
        StringWriter chain = new StringWriter();
        order.getCertificate().writeCertificate(chain);
        // the key first: the listeners reload when both files have changed and belong together
        Pem.writeOwnerOnly(settings.keyFile(), Pem.block("PRIVATE KEY", domainKey.getPrivate().getEncoded()));
        Pem.writeOwnerOnly(settings.chainFile(), chain.toString());
        return order.getCertificate().getCertificate();
    }

    /** A TLS context serving the tls-alpn-01 validation certificate for the authorization's name (RFC 8737 §3). */
    private static SSLContext validationContext(TlsAlpn01Challenge challenge, Authorization authorization)
            throws GeneralSecurityException, IOException {
        // acme4j signs the validation certificate with SHA256withRSA
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = challenge.createCertificate(pair, authorization.getIdentifier());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "validation".toCharArray();
        store.setKeyEntry("validation", pair.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The account key (EC P-256), made on first use and kept. */
    private KeyPair accountKey() throws IOException, GeneralSecurityException {
        if (Files.exists(settings.accountKeyFile())) {
            return Pem.readKeyPair(settings.accountKeyFile(), "EC");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Pem.writeOwnerOnly(settings.accountKeyFile(), Pem.keyPair(pair));
        return pair;
    }

    private static SSLContext trustOnly(java.nio.file.Path certificateFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certificateFile)) {
            factory.generateCertificates(in).forEach(certificate -> certificates.add((X509Certificate) certificate));
        }
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("acme-" + i, certificates.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The generic ACME provider, trusting only the configured CA certificate for the ACME server's HTTPS. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext context;

        TrustingProvider(SSLContext context) {
            this.context = context;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings networkSettings) {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(networkSettings.getTimeout()).sslContext(context).build();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
