package org.letterbox.store;

import java.nio.file.Path;
import java.util.Objects;

import org.letterbox.store.account.CredentialVerifier;
import org.letterbox.store.account.PasswordHasher;

/**
 * How to open the store.
 *
 * @param dataDirectory where the database (and nothing else of the store) lives; created if missing
 * @param readerConnections pooled JDBC connections for reads
 * @param workerThreads size of the store's executor, on which protocols run blocking store calls
 * @param passwordIterations PBKDF2 iterations for new password hashes
 * @param plusSeparator sub-address separator ({@code user+tag@domain}); empty disables plus-addressing
 * @param annotationLimit maximum number of METADATA annotations per mailbox
 * @param annotationSizeLimit maximum size in bytes of one annotation value
 * @param credentials the login check's hashing pool and verified-credential cache
 * @param minFreeDiskBytes free space the data directory's file system must keep: a message that would leave less
 *                         is refused (SMTP 452 4.3.1, APPEND NO) before anything is written, so the database never
 *                         meets a full disk
 * @param backend where the tables live: Derby under the data directory (the default) or a shared PostgreSQL
 */
public record StoreConfig(Path dataDirectory, int readerConnections, int workerThreads, int passwordIterations,
                          String plusSeparator, int annotationLimit, int annotationSizeLimit,
                          CredentialVerifier.Settings credentials, long minFreeDiskBytes, StoreBackend backend) {

    public StoreConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (readerConnections < 1 || workerThreads < 1 || passwordIterations < 1) {
            throw new IllegalArgumentException("readerConnections, workerThreads and passwordIterations must be positive");
        }
        plusSeparator = plusSeparator == null ? "" : plusSeparator;
        credentials = credentials == null ? CredentialVerifier.Settings.defaults() : credentials;
        backend = backend == null ? new StoreBackend.Derby() : backend;
    }

    /** Defaults suited to a small machine: 4 readers, 8 workers, 600,000 PBKDF2 iterations, "+" sub-addresses. */
    public static StoreConfig defaults(Path dataDirectory) {
        return new StoreConfig(dataDirectory, 4, 8, PasswordHasher.DEFAULT_ITERATIONS, "+", 10, 64 * 1024, CredentialVerifier.Settings.defaults(),
            64L * 1024 * 1024, new StoreBackend.Derby());
    }

    public StoreConfig withPasswordIterations(int iterations) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, iterations, plusSeparator,
            annotationLimit, annotationSizeLimit, credentials, minFreeDiskBytes, backend);
    }

    public StoreConfig withPlusSeparator(String separator) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, passwordIterations, separator,
            annotationLimit, annotationSizeLimit, credentials, minFreeDiskBytes, backend);
    }

    public StoreConfig withAnnotationLimits(int count, int size) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, passwordIterations, plusSeparator,
            count, size, credentials, minFreeDiskBytes, backend);
    }

    public StoreConfig withThreads(int readers, int workers) {
        return new StoreConfig(dataDirectory, readers, workers, passwordIterations, plusSeparator,
            annotationLimit, annotationSizeLimit, credentials, minFreeDiskBytes, backend);
    }

    public StoreConfig withCredentials(CredentialVerifier.Settings settings) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, passwordIterations, plusSeparator,
            annotationLimit, annotationSizeLimit, settings, minFreeDiskBytes, backend);
    }

    public StoreConfig withMinFreeDisk(long bytes) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, passwordIterations, plusSeparator,
            annotationLimit, annotationSizeLimit, credentials, bytes, backend);
    }

    public StoreConfig withBackend(StoreBackend chosen) {
        return new StoreConfig(dataDirectory, readerConnections, workerThreads, passwordIterations, plusSeparator,
            annotationLimit, annotationSizeLimit, credentials, minFreeDiskBytes, chosen);
    }
}
