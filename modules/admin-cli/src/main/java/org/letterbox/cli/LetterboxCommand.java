package org.letterbox.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigException;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.admin.AdminException;
import org.letterbox.server.admin.LocalAdmin;
import org.letterbox.server.admin.RemoteAdmin;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.account.AccountException;
import org.letterbox.store.jdbc.StoreException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code letterbox}: runs the server ({@code serve}) and manages it. Management commands talk to the running server
 * of the configured data directory through its loopback admin endpoint, so a change takes effect at once; when no
 * server runs, they open the store directly.
 */
@Command(name = "letterbox", mixinStandardHelpOptions = true, version = "Letterbox 0.1.0",
    description = "A self-hosted mail server.",
    subcommands = {LetterboxCommand.Serve.class, LetterboxCommand.Domain.class, LetterboxCommand.User.class,
        LetterboxCommand.Alias.class, MailboxCommands.class, QueueCommands.class, DkimCommands.class, DnsCommands.class, SetupCommand.class, ClientsCommand.class, StatusCommand.class,
        TransferCommands.Import.class, TransferCommands.Export.class, StoreCommands.class})
public final class LetterboxCommand {

    /** Where the configuration is read from unless {@code -c} says otherwise. */
    static final String DEFAULT_CONFIG = "conf/letterbox.yaml";

    @Option(names = {"-c", "--config"}, description = "configuration file (default: ${DEFAULT-VALUE})",
        defaultValue = DEFAULT_CONFIG)
    Path config;

    /**
     * Runs {@code work} on the running server of the configured data directory, through its admin endpoint; when
     * no server runs there, on the store opened directly.
     */
    /** The configuration file, read. */
    ServerConfig loadConfig() {
        return new ConfigLoader().load(config);
    }

    <T> T withAdmin(Function<Admin, T> work) {
        ServerConfig serverConfig = loadConfig();
        Path data = Path.of(serverConfig.dataDirectory());
        java.util.Optional<RemoteAdmin> remote = RemoteAdmin.find(data);
        if (remote.isPresent()) {
            return work.apply(remote.get());
        }
        MailStore store;
        try {
            store = MailStore.open(StoreConfig.defaults(data).withPlusSeparator(serverConfig.store().plusSeparator())
                .withBackend(serverConfig.store().storeBackend(System.getenv())));
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage());
        } catch (StoreException e) {
            throw new AdminException(e.getMessage() + " (if a server runs there, its admin endpoint does not answer:"
                + " is admin.enabled false?)");
        }
        try (LocalAdmin admin = new LocalAdmin(store, java.util.List.of(), true, serverConfig)) {
            return work.apply(admin);
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.Optional<Path> serveWith = serveCommand(args);
        if (serveWith.isPresent()) {
            // the server's own start: without building the whole command tree, a third of a second at start-up
            PrintWriter err = new PrintWriter(System.err, true);
            try {
                System.exit(serve(serveWith.get()));
            } catch (Exception e) {
                System.exit(failure(e, err));
            }
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The configuration file when {@code args} is exactly {@code [-c FILE | --config FILE | --config=FILE] serve}. */
    static java.util.Optional<Path> serveCommand(String[] args) {
        java.util.List<String> list = java.util.List.of(args);
        if (list.isEmpty() || !list.get(list.size() - 1).equals("serve")) {
            return java.util.Optional.empty();
        }
        java.util.List<String> options = list.subList(0, list.size() - 1);
        if (options.isEmpty()) {
            return java.util.Optional.of(Path.of(DEFAULT_CONFIG));
        }
        if (options.size() == 2 && (options.get(0).equals("-c") || options.get(0).equals("--config"))) {
            return java.util.Optional.of(Path.of(options.get(1)));
        }
        if (options.size() == 1 && options.get(0).startsWith("--config=")) {
            return java.util.Optional.of(Path.of(options.get(0).substring("--config=".length())));
        }
        return java.util.Optional.empty();
    }

    /** Runs the server with the configuration in {@code config} until the process is stopped. */
    static int serve(Path config) throws InterruptedException {
        // logging sets itself up on another thread while this one reads the file
        Thread logging = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "letterbox-logging-setup");
        logging.start();
        // and the default store's engine boots (about 0.2 s); a configuration that chooses PostgreSQL stops it again
        Thread storeEngine = new Thread(MailStore::prepareEmbeddedEngine, "letterbox-store-engine");
        storeEngine.setDaemon(true);
        storeEngine.start();
        java.util.List<String> notices = new java.util.ArrayList<>();
        ServerConfig loaded;
        try {
            loaded = new ConfigLoader().load(config, System.getenv(), notices::add);
        } finally {
            logging.join();
            storeEngine.join();
        }
        if (!"derby".equals(loaded.store().backend())) {
            MailStore.releaseEmbeddedEngine();
        }
        notices.forEach(org.slf4j.LoggerFactory.getLogger(ConfigLoader.class)::warn);
        LetterboxServer server = LetterboxServer.start(loaded);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "letterbox-shutdown"));
        Thread.currentThread().join();
        return 0;
    }

    /** Runs a command line; errors are one line on {@code err} and a non-zero exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new LetterboxCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> failure(exception, err));
        return commandLine.execute(args);
    }

    /** A failure the user can act on is one line on {@code err} and exit code 2; anything else is thrown on. */
    private static int failure(Exception exception, PrintWriter err) throws Exception {
        if (exception instanceof java.io.UncheckedIOException || exception instanceof java.io.IOException) {
            err.println("letterbox: " + (exception.getCause() != null ? exception.getCause().getMessage() : exception.getMessage()));
            return 2;
        }
        if (exception instanceof AccountException || exception instanceof ConfigException || exception instanceof AdminException
                || exception instanceof StoreException || exception instanceof IllegalArgumentException) {
            err.println("letterbox: " + exception.getMessage());
            return 2;
        }
        throw exception;
    }

    @Command(name = "serve", description = "Run the server in the foreground until SIGTERM or Ctrl-C.")
    static final class Serve implements Callable<Integer> {
        @ParentCommand
        LetterboxCommand root;

        @Override
        public Integer call() throws Exception {
            return serve(root.config);
        }
    }

    @Command(name = "domain", description = "Manage the domains this server receives mail for.",
        subcommands = {Domain.Add.class, Domain.List.class, Domain.Remove.class})
    static final class Domain {
        @ParentCommand
        LetterboxCommand root;

        @Command(name = "add", description = "Add a domain.")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Domain domain;
            @Parameters(paramLabel = "DOMAIN")
            String name;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                domain.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.AddDomain(name));
                    return null;
                });
                spec.commandLine().getOut().println("domain " + name + " added");
                return 0;
            }
        }

        @Command(name = "list", description = "List the domains.")
        static final class List implements Callable<Integer> {
            @ParentCommand
            Domain domain;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                domain.root.withAdmin(admin -> admin.send(new AdminRequest.Domains())).forEach(spec.commandLine().getOut()::println);
                return 0;
            }
        }

        @Command(name = "remove", description = "Remove a domain that has no users left.")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Domain domain;
            @Parameters(paramLabel = "DOMAIN")
            String name;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                domain.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.RemoveDomain(name));
                    return null;
                });
                spec.commandLine().getOut().println("domain " + name + " removed");
                return 0;
            }
        }
    }

    @Command(name = "user", description = "Manage users (their address is their login).",
        subcommands = {User.Add.class, User.List.class, User.Passwd.class, User.AnyFrom.class, User.Remove.class,
            User.QuotaCommand.class})
    static final class User {
        @ParentCommand
        LetterboxCommand root;

        /** The password from standard input (one line) or, on a terminal, a prompt without echo. */
        static String readPassword(boolean fromStdin) {
            Console console = System.console();
            if (!fromStdin && console != null) {
                char[] first = console.readPassword("Password: ");
                char[] second = console.readPassword("Repeat password: ");
                if (first == null || second == null || !new String(first).equals(new String(second))) {
                    throw new IllegalArgumentException("the passwords do not match");
                }
                return new String(first);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("no password on standard input");
                }
                return line;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the password: " + e.getMessage());
            }
        }

        @Command(name = "add", description = "Add a user, with the default folders.")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            User user;
            @Parameters(paramLabel = "ADDRESS")
            String address;
            @Option(names = "--password-stdin", description = "read the password from standard input")
            boolean passwordStdin;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                String password = readPassword(passwordStdin);
                user.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.AddUser(address, password));
                    return null;
                });
                spec.commandLine().getOut().println("user " + address + " added");
                return 0;
            }
        }

        @Command(name = "list", description = "List the users.")
        static final class List implements Callable<Integer> {
            @ParentCommand
            User user;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                user.root.withAdmin(admin -> admin.send(new AdminRequest.Users())).forEach(spec.commandLine().getOut()::println);
                return 0;
            }
        }

        @Command(name = "passwd", description = "Change a user's password.")
        static final class Passwd implements Callable<Integer> {
            @ParentCommand
            User user;
            @Parameters(paramLabel = "ADDRESS")
            String address;
            @Option(names = "--password-stdin", description = "read the password from standard input")
            boolean passwordStdin;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                String password = readPassword(passwordStdin);
                user.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.ChangePassword(address, password));
                    return null;
                });
                spec.commandLine().getOut().println("password of " + address + " changed");
                return 0;
            }
        }

        @Command(name = "any-from", description = "Let a user submit with any header From (on), or only their own"
            + " addresses and aliases (off, the default).")
        static final class AnyFrom implements Callable<Integer> {
            @ParentCommand
            User user;
            @Parameters(index = "0", paramLabel = "ADDRESS")
            String address;
            @Parameters(index = "1", paramLabel = "on|off")
            String setting;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                boolean allowed = switch (setting.toLowerCase(java.util.Locale.ROOT)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("say on or off, not " + setting);
                };
                user.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.SetAnyFrom(address, allowed));
                    return null;
                });
                spec.commandLine().getOut().println(address + (allowed ? " may now submit with any From" : " may submit only with its own From"));
                return 0;
            }
        }

        @Command(name = "remove", description = "Remove a user (their mail stays in the store).")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            User user;
            @Parameters(paramLabel = "ADDRESS")
            String address;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                user.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.RemoveUser(address));
                    return null;
                });
                spec.commandLine().getOut().println("user " + address + " removed");
                return 0;
            }
        }
        @Command(name = "quota", description = "Show a user's usage and limits, or set them.")
        static final class QuotaCommand implements Callable<Integer> {
            @ParentCommand
            User user;
            @Parameters(paramLabel = "ADDRESS")
            String address;
            @Option(names = "--max-size", paramLabel = "SIZE",
                description = "storage limit: bytes, or with K, M or G; 'none' removes it")
            String maxSize;
            @Option(names = "--max-messages", paramLabel = "COUNT", description = "message limit; 'none' removes it")
            String maxMessages;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                Admin.Quota quota = user.root.withAdmin(admin -> {
                    if (maxSize != null || maxMessages != null) {
                        admin.send(new AdminRequest.SetQuota(address, maxSize == null ? null : Sizes.parse(maxSize),
                            maxMessages == null ? null : Sizes.parseCount(maxMessages)));
                    }
                    return admin.send(new AdminRequest.QuotaOf(address));
                });
                spec.commandLine().getOut().printf("%s: %s of %s, %d of %s messages%n", quota.address(),
                    Sizes.format(quota.usedBytes()), quota.maxBytes() == null ? "unlimited" : Sizes.format(quota.maxBytes()),
                    quota.usedMessages(), quota.maxMessages() == null ? "unlimited" : quota.maxMessages().toString());
                return 0;
            }
        }
    }

    @Command(name = "alias", description = "Manage aliases (SOURCE may be @domain for a catch-all).",
        subcommands = {Alias.Add.class, Alias.List.class, Alias.Remove.class})
    static final class Alias {
        @ParentCommand
        LetterboxCommand root;

        @Command(name = "add", description = "Add an alias from SOURCE to TARGET.")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Alias alias;
            @Parameters(index = "0", paramLabel = "SOURCE")
            String source;
            @Parameters(index = "1", paramLabel = "TARGET")
            String target;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                alias.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.AddAlias(source, target));
                    return null;
                });
                spec.commandLine().getOut().println("alias " + source + " -> " + target + " added");
                return 0;
            }
        }

        @Command(name = "list", description = "List the aliases.")
        static final class List implements Callable<Integer> {
            @ParentCommand
            Alias alias;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                alias.root.withAdmin(admin -> admin.send(new AdminRequest.Aliases()))
                    .forEach(a -> spec.commandLine().getOut().println(a.source() + " -> " + a.target()));
                return 0;
            }
        }

        @Command(name = "remove", description = "Remove the alias from SOURCE to TARGET.")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Alias alias;
            @Parameters(index = "0", paramLabel = "SOURCE")
            String source;
            @Parameters(index = "1", paramLabel = "TARGET")
            String target;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                alias.root.withAdmin(admin -> {
                    admin.send(new AdminRequest.RemoveAlias(source, target));
                    return null;
                });
                spec.commandLine().getOut().println("alias " + source + " -> " + target + " removed");
                return 0;
            }
        }
    }
}
