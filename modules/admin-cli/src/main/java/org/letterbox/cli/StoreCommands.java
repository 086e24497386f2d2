package org.letterbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.letterbox.server.config.ServerConfig;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreBackend;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.copy.StoreCopy;
import org.letterbox.store.jdbc.Database;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox store copy --to URL}: moving the store to another backend. */
@Command(name = "store", description = "The store as a whole.", subcommands = {StoreCommands.Copy.class})
final class StoreCommands {
    @ParentCommand
    LetterboxCommand root;

    /**
     * Copies the configured Derby store, stopped (its lock proves it), into an empty PostgreSQL database, then
     * compares the two; the configuration is left for the operator to switch over.
     */
    @Command(name = "copy", description = "Copy the (stopped) Derby store into an empty PostgreSQL database and verify"
        + " the copy; UIDVALIDITY, UIDs and mod-sequences are kept, so clients download nothing again.")
    static final class Copy implements Callable<Integer> {
        @ParentCommand
        StoreCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--to", required = true, paramLabel = "URL", description = "jdbc:postgresql://host:5432/database")
        String url;
        @Option(names = "--user", required = true, description = "the role that owns the database")
        String user;
        @Option(names = "--password-file", paramLabel = "FILE",
            description = "its password on the first line (default: the environment variable LETTERBOX_STORE_PASSWORD)")
        Path passwordFile;
        @Option(names = "--pool-size", defaultValue = "4", description = "connections to the database (default: ${DEFAULT-VALUE})")
        int poolSize;

        @Override
        public Integer call() throws IOException {
            ServerConfig config = parent.root.loadConfig();
            if (!config.store().backend().equals("derby")) {
                throw new IllegalArgumentException("the configured store is not Derby: nothing to copy from");
            }
            StoreConfig source = StoreConfig.defaults(Path.of(config.dataDirectory()));
            StoreConfig target = source.withBackend(new StoreBackend.Postgres(url, user,
                ServerConfig.StoreSettings.password(passwordFile, System.getenv()), poolSize));
            PrintWriter out = spec.commandLine().getOut();
            try (Database from = MailStore.openDatabase(source); Database to = MailStore.openDatabase(target)) {
                StoreCopy.Report report = StoreCopy.copy(from, to, new StoreCopy.Progress() {
                    @Override
                    public void copied(String table, long rows, long total) {
                        if (rows == total) {
                            out.printf("copied %-16s %d rows%n", table, rows);
                        } else {
                            out.printf("copying %-15s %d of %d rows%n", table, rows, total);
                        }
                        out.flush();
                    }

                    @Override
                    public void verifying(String table) {
                    }
                });
                out.printf("verified: %d tables, their rows and %s of message content are the same in both%n",
                    report.tables().size(), Sizes.format(report.contentBytes()));
                out.println("next: set store.backend: postgresql, store.jdbcUrl, store.user and store.passwordFile in the"
                    + " configuration, and start the server");
            }
            return 0;
        }
    }
}
