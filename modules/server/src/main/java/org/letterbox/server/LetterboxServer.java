package org.letterbox.server;

import java.nio.file.Path;

import org.letterbox.server.config.ConfigException;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.jdbc.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JVM, one store, every listener. {@link #start} opens everything; {@link #close} stops it in order. */
public final class LetterboxServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(LetterboxServer.class);

    private final ServerConfig config;
    private final MailStore store;

    private LetterboxServer(ServerConfig config, MailStore store) {
        this.config = config;
        this.store = store;
    }

    /** Opens the store and starts the listeners the configuration names. */
    public static LetterboxServer start(ServerConfig config) {
        long started = System.nanoTime();
        StoreConfig storeConfig = StoreConfig.defaults(Path.of(config.dataDirectory()))
            .withThreads(config.store().readerConnections(), config.store().workerThreads())
            .withPlusSeparator(config.store().plusSeparator());
        MailStore store = MailStore.open(storeConfig);
        LOGGER.info("store open in {}", storeConfig.dataDirectory().toAbsolutePath());
        LetterboxServer server = new LetterboxServer(config, store);
        LOGGER.info("Letterbox started as {} in {} ms", config.hostname(), (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    public MailStore store() {
        return store;
    }

    public ServerConfig config() {
        return config;
    }

    @Override
    public void close() {
        LOGGER.info("Letterbox stopping");
        store.close();
        LOGGER.info("Letterbox stopped");
    }

    /** {@code java ... LetterboxServer [conf/letterbox.yaml]}: runs in the foreground until SIGTERM or Ctrl-C. */
    public static void main(String[] args) {
        Path file = Path.of(args.length > 0 ? args[0] : "conf/letterbox.yaml");
        LetterboxServer server;
        try {
            server = start(new ConfigLoader().load(file));
        } catch (ConfigException | StoreException e) {
            System.err.println("letterbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "letterbox-shutdown"));
    }
}
