package org.letterbox.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.events.EventBus;
import org.apache.james.events.MemoryEventDeadLetters;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.InVmEventDelivery;
import org.apache.james.mailbox.Authenticator;
import org.apache.james.mailbox.Authorizator;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.mailbox.extension.PreDeletionHook;
import org.apache.james.mailbox.store.StoreMessageIdManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.acl.UnionMailboxACLResolver;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.PreDeletionHooks;
import org.apache.james.mailbox.store.SessionProviderImpl;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.StoreSubscriptionManager;
import org.apache.james.mailbox.store.event.MailboxAnnotationListener;
import org.apache.james.mailbox.store.extractor.DefaultTextExtractor;
import org.apache.james.mailbox.store.mail.NaiveThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.CurrentQuotaCalculator;
import org.apache.james.mailbox.store.quota.DefaultUserQuotaRootResolver;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.quota.StoreQuotaManager;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.james.event.json.MailboxEventSerializer;
import org.letterbox.store.account.Accounts;
import org.letterbox.store.cluster.ClusterEventBus;
import org.letterbox.store.cluster.NodeLink;
import org.letterbox.store.mailbox.StoreMailboxId;
import org.letterbox.store.events.LocalEventBus;
import org.letterbox.store.metrics.NoopMetricFactory;
import org.letterbox.store.account.CredentialVerifier;
import org.letterbox.store.account.MailboxProvisioner;
import org.letterbox.store.delivery.MailDelivery;
import org.letterbox.store.account.PasswordHasher;
import org.letterbox.store.jdbc.Database;
import org.letterbox.store.jdbc.DerbyDialect;
import org.letterbox.store.jdbc.DiskSpace;
import org.letterbox.store.jdbc.StoreException;
import org.letterbox.store.mailbox.JdbcMapperFactory;
import org.letterbox.store.mailbox.LetterboxMailboxManager;
import org.letterbox.store.mailbox.StoreMessageId;
import org.letterbox.store.quota.DerivedCurrentQuotaManager;
import org.letterbox.store.quota.JdbcMaxQuotaManager;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one store every protocol shares. {@link #open} starts it; the accessors hand each protocol what it needs.
 *
 * <p>Store calls block on JDBC. Protocol front ends must not make them on a Netty event loop: they run them on
 * {@link #executor()} (or {@link #scheduler()} for Reactor pipelines), a bounded pool the store owns and sizes
 * from {@link StoreConfig#workerThreads()}.
 */
public final class MailStore implements AutoCloseable {

    private final Database database;
    private final DiskSpace diskSpace;
    private final JdbcMapperFactory mapperFactory;
    private final LetterboxMailboxManager mailboxManager;
    private final SubscriptionManager subscriptionManager;
    private final QuotaManager quotaManager;
    private final JdbcMaxQuotaManager maxQuotaManager;
    private final QuotaRootResolver quotaRootResolver;
    private final EventBus eventBus;
    private final Accounts accounts;
    private final ThreadPoolExecutor executor;
    private final Scheduler scheduler;
    private final Path dataDirectory;
    private final StoreMessageIdManager messageIdManager;
    private final boolean ownsDatabase;
    private final CurrentQuotaManager currentQuotaManager;
    private final MessageSearchIndex searchIndex;
    private final MailDelivery delivery;
    private final org.letterbox.store.queue.OutboundQueue queue;
    private final MailboxProvisioner provisioner;
    private final org.letterbox.store.dkim.DkimKeyStore dkimKeys;
    private CredentialVerifier credentials;
    private final NodeLink nodeLink;
    private final org.letterbox.store.session.SessionLeases sessionLeases;
    /** The removal, after {@link #open}, of message bytes that a crash left without a message: their count. */
    private volatile CompletableFuture<Integer> orphanSweep = CompletableFuture.completedFuture(0);

    private MailStore(StoreConfig config, Database database, Clock clock, boolean ownsDatabase,
                      Set<PreDeletionHook> preDeletionHooks) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.dataDirectory = config.dataDirectory();
        PasswordHasher hasher = new PasswordHasher(config.passwordIterations());
        this.accounts = new Accounts(database, hasher, config.plusSeparator());
        this.mapperFactory = new JdbcMapperFactory(database, clock);
        EventBus local = new LocalEventBus(new InVmEventDelivery(NoopMetricFactory.INSTANCE), RetryBackoffConfiguration.DEFAULT,
            new MemoryEventDeadLetters());
        // several nodes may share a PostgreSQL store: their events cross over through it (a store wired over a
        // database someone else owns, as tests do, is not a node of its own)
        boolean shared = config.backend() instanceof StoreBackend.Postgres && ownsDatabase;
        this.eventBus = shared ? new ClusterEventBus(local) : local;

        Authenticator authenticator = (user, password) -> credentials.verifyNow(user.asString(), String.valueOf(password)).isPresent();
        Authorizator authorizator = (user, other) -> accounts.userExists(other.asString())
            ? (user.equals(other) ? Authorizator.AuthorizationState.ALLOWED : Authorizator.AuthorizationState.FORBIDDEN)
            : Authorizator.AuthorizationState.UNKNOWN_USER;
        SessionProviderImpl sessionProvider = new SessionProviderImpl(authenticator, authorizator);

        StoreRightManager rightManager = new StoreRightManager(mapperFactory, new UnionMailboxACLResolver(), eventBus);
        StoreMailboxAnnotationManager annotationManager = new StoreMailboxAnnotationManager(mapperFactory, rightManager,
            config.annotationLimit(), config.annotationSizeLimit());

        this.maxQuotaManager = new JdbcMaxQuotaManager(database);
        DefaultUserQuotaRootResolver rootResolver = new DefaultUserQuotaRootResolver(sessionProvider, mapperFactory);
        this.quotaRootResolver = rootResolver;
        DerivedCurrentQuotaManager currentQuotaManager = new DerivedCurrentQuotaManager(
            new CurrentQuotaCalculator(mapperFactory, rootResolver), sessionProvider);
        this.quotaManager = new StoreQuotaManager(currentQuotaManager, maxQuotaManager);
        QuotaComponents quotaComponents = new QuotaComponents(maxQuotaManager, quotaManager, rootResolver);

        this.currentQuotaManager = currentQuotaManager;
        this.searchIndex = new org.letterbox.store.search.UidSafeSearchIndex(mapperFactory,
            new DefaultTextExtractor(), (attachment, session) -> {
                throw new java.io.IOException("attachments are not stored separately");
            });

        this.mailboxManager = new LetterboxMailboxManager(mapperFactory, sessionProvider, new MessageParser(),
            new StoreMessageId.Factory(), eventBus, annotationManager, rightManager, quotaComponents, searchIndex,
            new PreDeletionHooks(preDeletionHooks, NoopMetricFactory.INSTANCE), new NaiveThreadIdGuessingAlgorithm(), clock);
        this.subscriptionManager = new StoreSubscriptionManager(mapperFactory, mapperFactory, eventBus);
        this.messageIdManager = new StoreMessageIdManager(rightManager, mapperFactory, eventBus, quotaManager,
            rootResolver, new PreDeletionHooks(preDeletionHooks, NoopMetricFactory.INSTANCE));

        this.diskSpace = new DiskSpace(config.dataDirectory(), config.minFreeDiskBytes());
        this.queue = new org.letterbox.store.queue.OutboundQueue(database, clock, shared);
        this.delivery = new MailDelivery(database, mailboxManager, eventBus, quotaManager, rootResolver, diskSpace, queue, clock);
        this.provisioner = new MailboxProvisioner(mailboxManager);
        this.dkimKeys = new org.letterbox.store.dkim.DkimKeyStore(database, clock);
        eventBus.register(new org.letterbox.store.quota.QuotaUsageListener(currentQuotaManager, rootResolver, quotaManager, eventBus));
        eventBus.register(new MailboxAnnotationListener(mapperFactory, sessionProvider));

        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "letterbox-store-" + threadNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        this.executor.allowCoreThreadTimeOut(true);
        // never interrupt a store thread when a request is cancelled (a client gone): Derby closes the JDBC
        // connection of an interrupted thread, and the work finishes quickly anyway
        this.scheduler = Schedulers.fromExecutor(executor);
        this.credentials = new CredentialVerifier(accounts, hasher, executor, config.credentials(), clock);
        accounts.onCredentialChange(credentials::forget);
        this.nodeLink = shared ? linkToOtherNodes((ClusterEventBus) eventBus, rootResolver, clock) : null;
        this.sessionLeases = nodeLink != null
            ? new org.letterbox.store.session.SharedSessionLeases(database, nodeLink.nodeId(), NodeLink.NODE_TIMEOUT, clock)
            : new org.letterbox.store.session.LocalSessionLeases();
    }

    /** Sessions counted per user: across every node on a shared store, in this process otherwise. */
    public org.letterbox.store.session.SessionLeases sessionLeases() {
        return sessionLeases;
    }

    private NodeLink linkToOtherNodes(ClusterEventBus bus, QuotaRootResolver quotaRoots, Clock clock) {
        NodeLink link = NodeLink.start(database,
            new MailboxEventSerializer(new StoreMailboxId.Factory(), new StoreMessageId.Factory(), quotaRoots),
            new StoreMailboxId.Factory(), new NodeLink.Receiver() {
                @Override
                public void mailboxEvent(org.apache.james.events.Event event, Set<org.apache.james.events.RegistrationKey> keys) {
                    bus.dispatchFromOtherNode(event, keys);
                }

                @Override
                public void directoryChanged() {
                    accounts.forgetDirectory();
                }

                @Override
                public void credentialsChanged(String user) {
                    credentials.forget(user);
                }

                @Override
                public void mailboxRowsChanged() {
                    mapperFactory.mailboxMapper().forgetCachedRows();
                }

                @Override
                public void quotaLimitsChanged() {
                    maxQuotaManager.forgetCached();
                }
            }, localHostName(), clock);
        bus.publishTo(link::mailboxEvent);
        accounts.onDirectoryChange(link::directoryChanged);
        accounts.onCredentialChange(link::credentialsChanged);
        mapperFactory.mailboxMapper().onRowsChanged(link::mailboxRowsChanged);
        maxQuotaManager.onChange(link::quotaLimitsChanged);
        return link;
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "node";
        }
    }

    /** Whether {@code node} is this process. */
    public boolean isThisNode(NodeLink.Node node) {
        return nodeLink != null && nodeLink.nodeId().equals(node.id());
    }

    /** The nodes sharing this store's database that are alive (this one included); empty for a Derby store. */
    public java.util.List<NodeLink.Node> liveNodes() {
        return nodeLink == null ? java.util.List.of() : nodeLink.liveNodes();
    }

    /** Opens the store in {@code config.dataDirectory()}, creating or migrating its schema as needed. */
    public static MailStore open(StoreConfig config) {
        try {
            Files.createDirectories(config.dataDirectory());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the data directory " + config.dataDirectory() + ": " + e.getMessage(), e);
        }
        Database database = openDatabase(config);
        MailStore store;
        try {
            store = new MailStore(config, database, Clock.systemUTC(), true, Set.of());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        // a scan of every stored message: after the open, not in the way of the start (0.13 s on an empty store)
        store.orphanSweep = CompletableFuture.supplyAsync(
            () -> database.write(org.letterbox.store.mailbox.StoreSchema::sweepUnreferencedContent), store.executor);
        store.orphanSweep.whenComplete((swept, failure) -> {
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(MailStore.class);
            if (failure != null) {
                logger.warn("could not remove unreferenced message contents: {}", failure.toString());
            } else if (swept > 0) {
                logger.warn("removed {} unreferenced message contents", swept);
            }
        });
        return store;
    }

    /**
     * Boots the embedded database's engine ahead of {@link #open} (Derby, the default backend): a start can do this
     * on another thread while it reads its configuration. {@link #releaseEmbeddedEngine()} undoes it when the
     * configuration chooses PostgreSQL.
     */
    public static void prepareEmbeddedEngine() {
        org.letterbox.store.jdbc.DerbyConnections.bootEngine();
    }

    /** Stops the engine {@link #prepareEmbeddedEngine()} booted; no Derby store can be opened in this process after it. */
    public static void releaseEmbeddedEngine() {
        org.letterbox.store.jdbc.DerbyConnections.shutDownEngine();
    }

    /** The database of the configured backend, its schema brought up to date. */
    public static Database openDatabase(StoreConfig config) {
        if (config.backend() instanceof StoreBackend.Postgres postgres) {
            return Database.open(new org.letterbox.store.jdbc.PostgresDialect(),
                org.letterbox.store.jdbc.PostgresConnections.open(postgres), config.dataDirectory(), postgres.poolSize());
        }
        return Database.open(new DerbyDialect(), config.dataDirectory(), config.readerConnections());
    }

    /**
     * Wires a store over an already open database that the caller keeps owning ({@link #close()} leaves it open).
     * Tests use it to get fresh James wiring over one database, with a clock of their choosing.
     */
    public static MailStore over(StoreConfig config, Database database, Clock clock, Set<PreDeletionHook> hooks) {
        return new MailStore(config, database, clock, false, hooks);
    }

    /**
     * Adds a user and gives them the default folders (INBOX, Drafts, Sent, Trash, Junk, Archive). Use this rather
     * than {@code accounts().addUser} for real accounts.
     */
    public void createUser(String address, CharSequence password) {
        accounts.addUser(address, password);
        provisioner.provision(Accounts.normalizeAddress(address));
    }

    /** The id of {@code user}'s INBOX, made if it does not exist yet. Blocking: call it on {@link #executor()}. */
    public long inbox(String user) {
        return provisioner.inbox(user);
    }

    /** The id of {@code user}'s folder {@code name} (Junk, ...), made if it does not exist yet. Blocking. */
    public long mailboxFolder(String user, String name) {
        return provisioner.folder(user, name);
    }

    /** The outbound queue. */
    public org.letterbox.store.queue.OutboundQueue queue() {
        return queue;
    }

    /**
     * The stored bytes of one mailbox message, as received, with no MIME parsing (what POP3 RETR and TOP send); a
     * large message comes as a spooled file stream, never whole in the heap. Empty when the message is gone.
     */
    public java.util.Optional<java.io.InputStream> messageContent(long mailboxId, long uid) {
        return mapperFactory.messageMapper().messageContent(mailboxId, uid);
    }

    /** The DKIM keys of every domain. */
    public org.letterbox.store.dkim.DkimKeyStore dkimKeys() {
        return dkimKeys;
    }

    /** Row counts of what the store holds. */
    public StoreStatistics statistics() {
        return database.read(c -> {
            String[] tables = {"domains", "users", "mailboxes", "messages", "outbound_queue"};
            long[] counts = new long[tables.length];
            for (int i = 0; i < tables.length; i++) {
                try (java.sql.PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM " + tables[i]);
                     java.sql.ResultSet rs = select.executeQuery()) {
                    rs.next();
                    counts[i] = rs.getLong(1);
                }
            }
            return new StoreStatistics(counts[0], counts[1], counts[2], counts[3], counts[4]);
        });
    }

    /** Delivers SMTP mail to local INBOXes and the outbound queue. */
    public MailDelivery delivery() {
        return delivery;
    }

    public MessageIdManager messageIdManager() {
        return messageIdManager;
    }

    public CurrentQuotaManager currentQuotaManager() {
        return currentQuotaManager;
    }

    public MessageSearchIndex searchIndex() {
        return searchIndex;
    }


    public MailboxManager mailboxManager() {
        return mailboxManager;
    }

    public SubscriptionManager subscriptionManager() {
        return subscriptionManager;
    }

    /** The free space check every write of a message goes through. */
    public DiskSpace diskSpace() {
        return diskSpace;
    }

    public QuotaManager quotaManager() {
        return quotaManager;
    }

    public MaxQuotaManager maxQuotaManager() {
        return maxQuotaManager;
    }

    public QuotaRootResolver quotaRootResolver() {
        return quotaRootResolver;
    }

    public EventBus eventBus() {
        return eventBus;
    }

    public Accounts accounts() {
        return accounts;
    }

    /** Checks logins (for every protocol) off the protocol and store threads. */
    public CredentialVerifier credentials() {
        return credentials;
    }

    /** The bounded pool for blocking store calls. */
    public ExecutorService executor() {
        return executor;
    }

    /**
     * Runs blocking store work on {@link #executor()} and waits for it: how a protocol thread that must not touch
     * JDBC itself gets a store call done. Checked exceptions of the work are rethrown as they are.
     */
    public <T> T call(java.util.concurrent.Callable<T> work) throws Exception {
        try {
            return executor.submit(work).get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    /** {@link #executor()} as a Reactor scheduler. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The JDBC layer, for store-level services (delivery, queue, statistics) in this module. */
    Database database() {
        return database;
    }

    JdbcMapperFactory mapperFactory() {
        return mapperFactory;
    }

    CompletableFuture<Integer> orphanSweep() {
        return orphanSweep;
    }


    @Override
    public void close() {
        if (sessionLeases instanceof org.letterbox.store.session.SharedSessionLeases shared) {
            shared.close();
        }
        if (nodeLink != null) {
            nodeLink.close();
        }
        credentials.close();
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsDatabase) {
            database.close();
        }
    }
}
