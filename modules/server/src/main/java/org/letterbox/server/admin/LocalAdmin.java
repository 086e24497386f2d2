package org.letterbox.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxMetaData;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.AccountException;
import org.letterbox.store.account.Accounts;

/** {@link Admin} on an open store: what the admin endpoint runs, and what the CLI runs when no server does. */
public final class LocalAdmin implements Admin {

    private final MailStore store;
    private final List<String> listeners;
    private final Instant started = Instant.now();
    private final boolean ownsStore;

    /**
     * @param listeners the running listeners, one line each (empty when no server runs)
     * @param ownsStore whether {@link #close()} closes the store
     */
    public LocalAdmin(MailStore store, List<String> listeners, boolean ownsStore) {
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.ownsStore = ownsStore;
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs on the store's executor; account errors keep their message, anything else is named. */
    private <T> T call(Work<T> work) {
        try {
            return store.call(work::run);
        } catch (AccountException | AdminException e) {
            throw e;
        } catch (MailboxNotFoundException e) {
            throw new AdminException("no such mailbox: " + e.getMessage());
        } catch (Exception e) {
            throw new AdminException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void run(Work<?> work) {
        call(work);
    }

    @Override
    public void addDomain(String domain) {
        run(() -> {
            store.accounts().addDomain(domain);
            return null;
        });
    }

    @Override
    public List<String> domains() {
        return call(() -> store.accounts().listDomains());
    }

    @Override
    public void removeDomain(String domain) {
        run(() -> {
            store.accounts().removeDomain(domain);
            return null;
        });
    }

    @Override
    public void addUser(String address, String password) {
        run(() -> {
            store.createUser(address, password);
            return null;
        });
    }

    @Override
    public List<String> users() {
        return call(() -> store.accounts().listUsers());
    }

    @Override
    public void changePassword(String address, String password) {
        run(() -> {
            store.accounts().changePassword(address, password);
            return null;
        });
    }

    @Override
    public void setAnyFrom(String address, boolean allowed) {
        run(() -> {
            store.accounts().setAnyFromAllowed(address, allowed);
            return null;
        });
    }

    @Override
    public void removeUser(String address) {
        run(() -> {
            store.accounts().removeUser(address);
            return null;
        });
    }

    private String existingUser(String address) {
        String user = Accounts.normalizeAddress(address);
        if (!store.accounts().userExists(user)) {
            throw new AdminException("no such user: " + address);
        }
        return user;
    }

    @Override
    public Quota quota(String address) {
        return call(() -> {
            String user = existingUser(address);
            QuotaRoot root = ((org.apache.james.mailbox.quota.UserQuotaRootResolver) store.quotaRootResolver()).forUser(Username.of(user));
            var storage = store.quotaManager().getStorageQuota(root);
            var messages = store.quotaManager().getMessageQuota(root);
            return new Quota(user, storage.getUsed().asLong(), messages.getUsed().asLong(),
                storage.getLimit().isUnlimited() ? null : storage.getLimit().asLong(),
                messages.getLimit().isUnlimited() ? null : messages.getLimit().asLong());
        });
    }

    @Override
    public void setQuota(String address, Long maxBytes, Long maxMessages) {
        run(() -> {
            String user = existingUser(address);
            QuotaRoot root = ((org.apache.james.mailbox.quota.UserQuotaRootResolver) store.quotaRootResolver()).forUser(Username.of(user));
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
        });
    }

    @Override
    public void addAlias(String source, String target) {
        run(() -> {
            store.accounts().addAlias(source, target);
            return null;
        });
    }

    @Override
    public List<AliasEntry> aliases() {
        return call(() -> store.accounts().listAliases().stream().map(a -> new AliasEntry(a.source(), a.target())).toList());
    }

    @Override
    public void removeAlias(String source, String target) {
        run(() -> {
            store.accounts().removeAlias(source, target);
            return null;
        });
    }

    @Override
    public List<MailboxInfo> mailboxes(String address) {
        return call(() -> {
            MailboxSession session = session(existingUser(address));
            List<MailboxMetaData> found = store.mailboxManager()
                .search(MailboxQuery.privateMailboxesBuilder(session).build(), session).collectList().block();
            List<MailboxInfo> result = new ArrayList<>();
            for (MailboxMetaData metaData : found) {
                MessageManager mailbox = store.mailboxManager().getMailbox(metaData.getId(), session);
                var counters = mailbox.getMailboxCounters(session);
                result.add(new MailboxInfo(metaData.getPath().getName(), counters.getCount(), counters.getUnseen()));
            }
            result.sort(java.util.Comparator.comparing(MailboxInfo::name));
            return result;
        });
    }

    private MailboxSession session(String user) {
        return store.mailboxManager().createSystemSession(Username.of(user));
    }

    @Override
    public List<QueueEntry> queue() {
        return call(() -> store.queue().list().stream()
            .map(entry -> new QueueEntry(entry.id(), entry.sender(), entry.recipient(), entry.created().toString(),
                entry.attempts(), entry.lastError().orElse(null)))
            .toList());
    }

    @Override
    public Status status() {
        return call(() -> {
            org.letterbox.store.StoreStatistics counts = store.statistics();
            return new Status(!listeners.isEmpty(), store.dataDirectory().toAbsolutePath().toString(), listeners,
                counts.domains(), counts.users(), counts.mailboxes(), counts.messages(), counts.queued(),
                directorySize(store.dataDirectory()), listeners.isEmpty() ? 0 : Duration.between(started, Instant.now()).toSeconds());
        });
    }

    private static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int importMessages(String address, String mailbox, List<TransferMessage> messages) {
        return call(() -> {
            MailboxSession session = session(existingUser(address));
            MailboxPath path = MailboxPath.forUser(session.getUser(), mailbox);
            if (!Boolean.TRUE.equals(reactor.core.publisher.Mono.from(store.mailboxManager().mailboxExists(path, session)).block())) {
                store.mailboxManager().createMailbox(path, session);
            }
            MessageManager target = store.mailboxManager().getMailbox(path, session);
            int stored = 0;
            for (TransferMessage message : messages) {
                target.appendMessage(MessageManager.AppendCommand.builder()
                    .withFlags(Transfer.flags(message.flags()))
                    .withInternalDate(new Date(message.internalDate()))
                    .notRecent()
                    .build(new ByteContent(message.content())), session);
                stored++;
            }
            return stored;
        });
    }

    @Override
    public List<TransferMessage> exportMessages(String address, String mailbox, long afterUid, int limit) {
        return call(() -> {
            MailboxSession session = session(existingUser(address));
            MessageManager source = store.mailboxManager().getMailbox(MailboxPath.forUser(session.getUser(), mailbox), session);
            List<TransferMessage> result = new ArrayList<>();
            MessageResultIterator results = source.getMessages(MessageRange.from(MessageUid.of(afterUid + 1)),
                FetchGroup.FULL_CONTENT, session);
            while (results.hasNext() && result.size() < limit) {
                MessageResult message = results.next();
                byte[] content;
                try (InputStream in = message.getFullContent().getInputStream()) {
                    content = in.readAllBytes();
                }
                result.add(new TransferMessage(message.getUid().asLong(), content, Transfer.names(message.getFlags()),
                    message.getInternalDate().getTime()));
            }
            return result;
        });
    }

    @Override
    public void close() {
        if (ownsStore) {
            store.close();
        }
    }

    /** Flags to and from their IMAP names. */
    static final class Transfer {
        private Transfer() {
        }

        static Flags flags(List<String> names) {
            Flags flags = new Flags();
            for (String name : names) {
                switch (name.toLowerCase(java.util.Locale.ROOT)) {
                    case "\\seen" -> flags.add(Flags.Flag.SEEN);
                    case "\\answered" -> flags.add(Flags.Flag.ANSWERED);
                    case "\\flagged" -> flags.add(Flags.Flag.FLAGGED);
                    case "\\deleted" -> flags.add(Flags.Flag.DELETED);
                    case "\\draft" -> flags.add(Flags.Flag.DRAFT);
                    case "\\recent" -> { }
                    default -> flags.add(name);
                }
            }
            return flags;
        }

        static List<String> names(Flags flags) {
            List<String> names = new ArrayList<>();
            if (flags.contains(Flags.Flag.SEEN)) {
                names.add("\\Seen");
            }
            if (flags.contains(Flags.Flag.ANSWERED)) {
                names.add("\\Answered");
            }
            if (flags.contains(Flags.Flag.FLAGGED)) {
                names.add("\\Flagged");
            }
            if (flags.contains(Flags.Flag.DELETED)) {
                names.add("\\Deleted");
            }
            if (flags.contains(Flags.Flag.DRAFT)) {
                names.add("\\Draft");
            }
            names.addAll(List.of(flags.getUserFlags()));
            return names;
        }
    }
}
