package org.letterbox.server.admin;

import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxMetaData;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.model.ByteContent;
import org.letterbox.server.admin.Admin.AliasEntry;
import org.letterbox.server.admin.Admin.MailboxInfo;
import org.letterbox.server.admin.Admin.QueueEntry;
import org.letterbox.server.admin.Admin.Quota;
import org.letterbox.server.admin.Admin.Status;
import org.letterbox.server.admin.Admin.TransferMessage;
import org.letterbox.store.MailStore;
import org.letterbox.store.queue.OutboundQueue;
import org.letterbox.store.StoreStatistics;

/**
 * One thing the CLI can ask of a server, and how it is done: a new admin operation is one record here (its
 * arguments, its result type as its type argument, and its handler) and one picocli command. {@link LocalAdmin} runs a request on an
 * open store; {@link RemoteAdmin} sends it to a running server, whose {@link AdminEndpoint} finds the record by
 * {@link #name(Class)} and runs it the same way.
 *
 * @param <R> the result; {@link Void} for none
 */
public sealed interface AdminRequest<R> {

    /** Does it, on the store's executor unless {@link #onStoreExecutor()} says otherwise. */
    R handle(LocalAdmin admin) throws Exception;

    /**
     * False for a request that waits on the network (DNS, other servers): it runs on the caller's thread and takes
     * its store work to the store's executor itself, so that no store thread waits for the network.
     */
    default boolean onStoreExecutor() {
        return true;
    }

    /** The result's type (the record's {@code R}), for reading the endpoint's JSON answer back. */
    default JavaType resultType(TypeFactory types) {
        for (Type implemented : getClass().getGenericInterfaces()) {
            if (implemented instanceof ParameterizedType parameterized && parameterized.getRawType() == AdminRequest.class) {
                return types.constructType(parameterized.getActualTypeArguments()[0]);
            }
        }
        throw new IllegalStateException(getClass() + " does not implement AdminRequest directly");
    }

    /** The operation's name on the wire: the record's name with a lower-case first letter. */
    static String name(Class<?> type) {
        String simple = type.getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    /** Every request type by {@link #name(Class)}. */
    static Map<String, Class<?>> types() {
        return Stream.of(AdminRequest.class.getPermittedSubclasses())
            .collect(Collectors.toUnmodifiableMap(AdminRequest::name, Function.identity()));
    }

    /** Answers "pong": the CLI's check that a server answers. */
    record Ping() implements AdminRequest<String> {
        public String handle(LocalAdmin admin) {
            return "pong";
        }
    }

    /** Adds a domain, with its DKIM signing keys (RSA and Ed25519). */
    record AddDomain(String domain) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().addDomain(domain);
            admin.domainKeys().ensure(org.letterbox.store.account.Accounts.normalizeDomain(domain));
            return null;
        }
    }

    record Domains() implements AdminRequest<List<String>> {
        public List<String> handle(LocalAdmin admin) {
            return admin.store().accounts().listDomains();
        }
    }

    record RemoveDomain(String domain) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().removeDomain(domain);
            admin.store().dkimKeys().removeAll(org.letterbox.store.account.Accounts.normalizeDomain(domain));
            return null;
        }
    }

    /** The DKIM keys of a domain with their DNS records. */
    record DkimKeys(String domain) implements AdminRequest<List<org.letterbox.server.dkim.DomainKeys.Info>> {
        public List<org.letterbox.server.dkim.DomainKeys.Info> handle(LocalAdmin admin) {
            return admin.domainKeys().list(admin.existingDomain(domain));
        }
    }

    /** A new DKIM pair for a domain, pending: its records to publish before it signs. */
    record DkimRotate(String domain) implements AdminRequest<List<org.letterbox.server.dkim.DomainKeys.Info>> {
        public List<org.letterbox.server.dkim.DomainKeys.Info> handle(LocalAdmin admin) {
            return admin.domainKeys().rotate(admin.existingDomain(domain));
        }
    }

    /** Switches a domain's signing to its pending pair; how many keys became active. */
    record DkimActivate(String domain) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            int activated = admin.domainKeys().activate(admin.existingDomain(domain));
            if (activated == 0) {
                throw new AdminException("no pending DKIM keys for " + domain + "; make them with: letterbox dkim rotate " + domain);
            }
            return activated;
        }
    }

    /** The DNS records {@code domain} needs, as a zone snippet; {@code addresses}: the server's public addresses, if known. */
    record DnsRecords(String domain, List<String> addresses) implements AdminRequest<org.letterbox.server.dnssetup.DnsPlan> {
        public org.letterbox.server.dnssetup.DnsPlan handle(LocalAdmin admin) {
            String name = admin.existingDomain(domain);
            return org.letterbox.server.dnssetup.DnsPlanner.plan(
                org.letterbox.server.dnssetup.MailHost.of(admin.config(), addresses == null ? List.of() : addresses),
                name, admin.domainKeys().list(name));
        }
    }

    /**
     * Checks {@code domain}'s live DNS against what it needs, and whether outbound port 25 is open (tried on the MX
     * of {@code probeDomain}, gmail.com when null).
     */
    record DnsCheck(String domain, List<String> addresses, String probeDomain)
            implements AdminRequest<org.letterbox.server.dnssetup.DnsReport> {
        public org.letterbox.server.dnssetup.DnsReport handle(LocalAdmin admin) throws Exception {
            String name = admin.onStore(() -> admin.existingDomain(domain));
            List<org.letterbox.server.dkim.DomainKeys.Info> keys = admin.onStore(() -> admin.domainKeys().list(name));
            org.letterbox.server.dnssetup.MailHost host = org.letterbox.server.dnssetup.MailHost.of(admin.config(),
                addresses == null ? List.of() : addresses);
            return org.letterbox.server.dnssetup.DnsCheckers.of(admin.config(), probeDomain).check(host, name, keys);
        }

        @Override
        public boolean onStoreExecutor() {
            return false;
        }
    }

    /** Adds a user with the default folders (INBOX, Drafts, Sent, Trash, Junk, Archive). */
    record AddUser(String address, String password) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().createUser(address, password);
            return null;
        }

        @Override
        public String toString() {
            return "AddUser[address=" + address + ", password=***]";
        }
    }

    record Users() implements AdminRequest<List<String>> {
        public List<String> handle(LocalAdmin admin) {
            return admin.store().accounts().listUsers();
        }
    }

    record ChangePassword(String address, String password) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().changePassword(address, password);
            return null;
        }

        @Override
        public String toString() {
            return "ChangePassword[address=" + address + ", password=***]";
        }
    }

    /** Lets the user submit with any header From (true), or only their own addresses (false, the default). */
    record SetAnyFrom(String address, boolean allowed) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().setAnyFromAllowed(address, allowed);
            return null;
        }
    }

    record RemoveUser(String address) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().removeUser(address);
            return null;
        }
    }

    /** A user's usage and limits. */
    record QuotaOf(String address) implements AdminRequest<Quota> {
        public Quota handle(LocalAdmin admin) throws Exception {
            String user = admin.existingUser(address);
            QuotaRoot root = admin.quotaRoot(user);
            MailStore store = admin.store();
            var storage = store.quotaManager().getStorageQuota(root);
            var messages = store.quotaManager().getMessageQuota(root);
            return new Quota(user, storage.getUsed().asLong(), messages.getUsed().asLong(),
                storage.getLimit().isUnlimited() ? null : storage.getLimit().asLong(),
                messages.getLimit().isUnlimited() ? null : messages.getLimit().asLong());
        }
    }

    /**
     * Sets a user's limits; {@code null} leaves a limit as it is, a negative value removes it (unlimited, or the
     * domain's or global limit when one is set).
     */
    record SetQuota(String address, Long maxBytes, Long maxMessages) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) throws Exception {
            QuotaRoot root = admin.quotaRoot(admin.existingUser(address));
            MailStore store = admin.store();
            if (maxBytes != null) {
                if (maxBytes < 0) {
                    store.maxQuotaManager().removeMaxStorage(root);
                } else {
                    store.maxQuotaManager().setMaxStorage(root, QuotaSizeLimit.size(maxBytes));
                }
            }
            if (maxMessages != null) {
                if (maxMessages < 0) {
                    store.maxQuotaManager().removeMaxMessage(root);
                } else {
                    store.maxQuotaManager().setMaxMessage(root, QuotaCountLimit.count(maxMessages));
                }
            }
            return null;
        }
    }

    /** An alias from {@code source} (an address, or {@code @domain} for a catch-all) to {@code target}. */
    record AddAlias(String source, String target) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().addAlias(source, target);
            return null;
        }
    }

    record Aliases() implements AdminRequest<List<AliasEntry>> {
        public List<AliasEntry> handle(LocalAdmin admin) {
            return admin.store().accounts().listAliases().stream().map(a -> new AliasEntry(a.source(), a.target())).toList();
        }
    }

    record RemoveAlias(String source, String target) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.store().accounts().removeAlias(source, target);
            return null;
        }
    }

    /** A user's mailboxes with their message and unseen counts, by name. */
    record Mailboxes(String address) implements AdminRequest<List<MailboxInfo>> {
        public List<MailboxInfo> handle(LocalAdmin admin) throws Exception {
            MailboxSession session = admin.session(admin.existingUser(address));
            var manager = admin.store().mailboxManager();
            List<MailboxMetaData> found = manager.search(MailboxQuery.privateMailboxesBuilder(session).build(), session)
                .collectList().block();
            List<MailboxInfo> result = new ArrayList<>();
            for (MailboxMetaData metaData : found) {
                MessageManager mailbox = manager.getMailbox(metaData.getId(), session);
                var counters = mailbox.getMailboxCounters(session);
                result.add(new MailboxInfo(metaData.getPath().getName(), counters.getCount(), counters.getUnseen()));
            }
            result.sort(java.util.Comparator.comparing(MailboxInfo::name));
            return result;
        }
    }

    /** Every queued recipient, oldest first. */
    record Queue() implements AdminRequest<List<QueueEntry>> {
        public List<QueueEntry> handle(LocalAdmin admin) {
            return admin.store().queue().list().stream().map(Queue::entry).toList();
        }

        static QueueEntry entry(OutboundQueue.Entry entry) {
            return new QueueEntry(entry.id(), entry.sender(), entry.recipient(), entry.created().toString(),
                entry.attempts(), entry.nextAttempt().toString(), entry.lastError().orElse(null), entry.size(), entry.held());
        }
    }

    /** One queued recipient in full, with the message's headers. */
    record QueueShow(long id) implements AdminRequest<Admin.QueueDetail> {
        public Admin.QueueDetail handle(LocalAdmin admin) throws Exception {
            OutboundQueue.Entry entry = queued(admin, id);
            String headers;
            try (InputStream in = admin.store().queue().content(entry).orElseThrow(() -> new AdminException("no queue entry " + id))) {
                headers = new String(org.letterbox.delivery.dsn.DeliveryReport.headers(in), java.nio.charset.StandardCharsets.UTF_8);
            }
            OutboundQueue.DsnRequest dsn = entry.dsn();
            return new Admin.QueueDetail(Queue.entry(entry), entry.lastAttempt().map(Instant::toString).orElse(null),
                entry.delayNotified(), dsn.notifyOn().orElse(null), dsn.originalRecipient().orElse(null),
                dsn.envelopeId().orElse(null), dsn.returnContent().orElse(null), headers);
        }
    }

    /** Makes one entry (no id: every entry) due now; the number made due. */
    record QueueRetry(Long id) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            return counted(admin, id, admin.store().queue().retryNow(Optional.ofNullable(id)));
        }
    }

    /** Holds one entry (no id: every entry): it is not tried until released; the number held. */
    record QueueHold(Long id) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            return counted(admin, id, admin.store().queue().hold(Optional.ofNullable(id)));
        }
    }

    /** Releases one held entry (no id: every entry), due now; the number released. */
    record QueueRelease(Long id) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            return counted(admin, id, admin.store().queue().release(Optional.ofNullable(id)));
        }
    }

    /** Stops (or restarts) outbound delivery of the running server: new mail stays in the queue meanwhile. */
    record QueuePause(boolean pause) implements AdminRequest<Void> {
        public Void handle(LocalAdmin admin) {
            admin.pauseDelivery(pause);
            return null;
        }
    }

    /** Removes an entry without a word to the sender. */
    record QueueDrop(long id) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            return counted(admin, id, admin.store().queue().drop(id) ? 1 : 0);
        }
    }

    /** Gives up on an entry now: the sender gets a bounce saying it was returned by the administrator. */
    record QueueBounce(long id) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) {
            OutboundQueue.Entry entry = queued(admin, id);
            org.letterbox.delivery.dsn.ReportedRecipient bounced = new org.letterbox.delivery.dsn.ReportedRecipient(
                entry.recipient(), entry.dsn().originalRecipient(), org.letterbox.delivery.dsn.ReportedRecipient.Action.FAILED,
                "5.0.0", Optional.empty(), Optional.of("returned to the sender by the administrator"
                    + entry.lastError().map(error -> "; last error: " + error).orElse("")),
                entry.lastAttempt(), Optional.empty());
            new org.letterbox.delivery.dsn.Reports(admin.store(), admin.hostname(), java.time.Clock.systemUTC())
                .send(entry, org.letterbox.delivery.dsn.Reports.wants(entry.dsn().notifyOn(), "FAILURE") ? List.of(bounced) : List.of(),
                    new OutboundQueue.Settlement(List.of(entry.id()), List.of()));
            return 1;
        }
    }

    private static OutboundQueue.Entry queued(LocalAdmin admin, long id) {
        return admin.store().queue().find(id).orElseThrow(() -> new AdminException("no queue entry " + id));
    }

    private static Integer counted(LocalAdmin admin, Long id, int changed) {
        if (id != null && changed == 0) {
            throw new AdminException("no queue entry " + id);
        }
        return changed;
    }

    record StatusOf() implements AdminRequest<Status> {
        public Status handle(LocalAdmin admin) {
            StoreStatistics counts = admin.store().statistics();
            List<String> listeners = admin.listeners();
            Instant now = Instant.now();
            // a command that opened the store itself is a node only while it runs: not one to list
            List<String> nodes = admin.store().liveNodes().stream()
                .filter(node -> !listeners.isEmpty() || !admin.store().isThisNode(node))
                .map(node -> node.id() + " on " + node.hostname() + ", up " + Duration.between(node.started(), now).toSeconds()
                    + " s, last heard " + Duration.between(node.lastSeen(), now).toSeconds() + " s ago"
                    + (admin.store().isThisNode(node) ? " (this one)" : ""))
                .toList();
            return new Status(!listeners.isEmpty(), admin.store().dataDirectory().toAbsolutePath().toString(), listeners,
                counts.domains(), counts.users(), counts.mailboxes(), counts.messages(), counts.queued(),
                LocalAdmin.directorySize(admin.store().dataDirectory()),
                listeners.isEmpty() ? 0 : Duration.between(admin.started(), now).toSeconds(), nodes);
        }
    }

    /** Appends the messages to the user's mailbox (created if missing); the result is how many were stored. */
    record ImportMessages(String address, String mailbox, List<TransferMessage> messages) implements AdminRequest<Integer> {
        public Integer handle(LocalAdmin admin) throws Exception {
            MailboxSession session = admin.session(admin.existingUser(address));
            var manager = admin.store().mailboxManager();
            MailboxPath path = MailboxPath.forUser(session.getUser(), mailbox);
            if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(manager.mailboxExists(path, session)).block())) {
                manager.createMailbox(path, session);
            }
            MessageManager target = manager.getMailbox(path, session);
            int stored = 0;
            for (TransferMessage message : messages == null ? List.<TransferMessage>of() : messages) {
                target.appendMessage(MessageManager.AppendCommand.builder()
                    .withFlags(LocalAdmin.Transfer.flags(message.flags()))
                    .withInternalDate(new Date(message.internalDate()))
                    .notRecent()
                    .build(new ByteContent(message.content())), session);
                stored++;
            }
            return stored;
        }
    }

    /** Up to {@code limit} messages of a mailbox with UIDs above {@code afterUid}, in UID order. */
    record ExportMessages(String address, String mailbox, long afterUid, int limit) implements AdminRequest<List<TransferMessage>> {
        public List<TransferMessage> handle(LocalAdmin admin) throws Exception {
            MailboxSession session = admin.session(admin.existingUser(address));
            MessageManager source = admin.store().mailboxManager()
                .getMailbox(MailboxPath.forUser(session.getUser(), mailbox), session);
            List<TransferMessage> result = new ArrayList<>();
            var results = source.getMessages(MessageRange.from(MessageUid.of(afterUid + 1)), FetchGroup.FULL_CONTENT, session);
            while (results.hasNext() && result.size() < Math.max(1, limit)) {
                MessageResult message = results.next();
                byte[] content;
                try (InputStream in = message.getFullContent().getInputStream()) {
                    content = in.readAllBytes();
                }
                result.add(new TransferMessage(message.getUid().asLong(), content, LocalAdmin.Transfer.names(message.getFlags()),
                    message.getInternalDate().getTime()));
            }
            return result;
        }
    }

    /** The string arguments a request cannot do without, checked before it runs: their names, for the error. */
    static Optional<String> missingArgument(AdminRequest<?> request) {
        for (var component : request.getClass().getRecordComponents()) {
            if (component.getType() == String.class) {
                try {
                    if (component.getAccessor().invoke(request) == null) {
                        return Optional.of(component.getName());
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Optional.empty();
    }
}
