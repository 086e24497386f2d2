package org.letterbox.server.tls;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PEM certificate and key that are read again when either file changes (certbot renewing them), without a
 * restart: the listeners' {@link SSLContext} asks a key manager that always holds the newest valid pair, so every
 * new TLS handshake uses it. A pair that fails to load is logged and the previous one stays in use.
 */
public final class ReloadingCertificate implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReloadingCertificate.class);

    private final Path chain;
    private final Path key;
    private final SSLContext context;
    private final ScheduledExecutorService watcher;
    private volatile X509ExtendedKeyManager current;
    private volatile List<FileTime> stamps;

    private ReloadingCertificate(Path chain, Path key, Duration interval, X509ExtendedKeyManager fallback)
            throws java.security.GeneralSecurityException {
        this.chain = chain;
        this.key = key;
        this.stamps = stamps();
        this.current = fallback != null && stamps.isEmpty() ? fallback : TlsContexts.pemKeyManager(chain, key);
        this.context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {new Delegating()}, null, null);
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "letterbox-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the pair (a bad pair stops start-up with a one-line message) and checks the files every {@code interval}.
     */
    public static ReloadingCertificate start(Path chain, Path key, Duration interval) {
        return start(chain, key, interval, null);
    }

    /**
     * The same, serving {@code fallback} until the two files exist (ACME's certificate, before it is first
     * obtained).
     */
    public static ReloadingCertificate start(Path chain, Path key, Duration interval, X509ExtendedKeyManager fallback) {
        try {
            return new ReloadingCertificate(chain, key, interval, fallback);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public SSLContext context() {
        return context;
    }

    private List<FileTime> stamps() {
        try {
            return List.of(Files.getLastModifiedTime(chain), Files.getLastModifiedTime(key),
                FileTime.fromMillis(Files.size(chain)), FileTime.fromMillis(Files.size(key)));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** Reloads now if either file changed since the last load; returns whether a new pair is in use. */
    public synchronized boolean reloadIfChanged() {
        List<FileTime> now = stamps();
        if (now.isEmpty() || now.equals(stamps)) {
            return false;
        }
        try {
            current = TlsContexts.pemKeyManager(chain, key);
            stamps = now;
            LOGGER.info("TLS certificate reloaded from {}", chain);
            return true;
        } catch (RuntimeException e) {
            // e.g. certbot has written one file and not yet the other: try again at the next check
            LOGGER.warn("TLS certificate not reloaded, keeping the previous one: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }

    private final class Delegating extends X509ExtendedKeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current.getPrivateKey(alias);
        }
    }
}
