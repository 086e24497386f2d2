package org.letterbox.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.QuotaRoot;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.AccountException;
import org.letterbox.store.account.Accounts;

/** {@link Admin} on an open store: what the admin endpoint runs requests on, and what the CLI uses when no server runs. */
public final class LocalAdmin implements Admin {

    private final MailStore store;
    private final List<String> listeners;
    private final Instant started = Instant.now();
    private final boolean ownsStore;
    private final org.letterbox.server.config.ServerConfig config;
    private volatile java.util.function.Predicate<Boolean> deliveryPause;

    /**
     * @param listeners the running listeners, one line each (empty when no server runs)
     * @param ownsStore whether {@link #close()} closes the store
     * @param config the server's configuration: its name (as reports made by hand, such as a bounce from the queue,
     *               give it), its listeners and resolvers (for the DNS records and checks)
     */
    public LocalAdmin(MailStore store, List<String> listeners, boolean ownsStore, org.letterbox.server.config.ServerConfig config) {
        this.config = config;
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.ownsStore = ownsStore;
    }

    interface Work<T> {
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

    /**
     * Runs {@code request} on the store's executor, or on this thread when it waits on the network (its store
     * work then goes through {@link #onStore}).
     */
    @Override
    public <R> R send(AdminRequest<R> request) {
        if (!request.onStoreExecutor()) {
            try {
                return request.handle(this);
            } catch (AccountException | AdminException | IllegalArgumentException e) {
                throw e;
            } catch (Exception e) {
                throw new AdminException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
        return call(() -> request.handle(this));
    }

    /** Runs {@code work} on the store's executor, for a request that does not run there as a whole. */
    <T> T onStore(Work<T> work) {
        return call(work);
    }

    MailStore store() {
        return store;
    }

    List<String> listeners() {
        return listeners;
    }

    String hostname() {
        return config.hostname();
    }

    org.letterbox.server.config.ServerConfig config() {
        return config;
    }

    org.letterbox.server.dkim.DomainKeys domainKeys() {
        return new org.letterbox.server.dkim.DomainKeys(store.dkimKeys(), java.time.Clock.systemUTC());
    }

    /** The canonical name of an existing domain, or an error naming it. */
    String existingDomain(String domain) {
        String name = Accounts.normalizeDomain(domain);
        if (!store.accounts().domainExists(name)) {
            throw new AdminException("no such domain: " + domain);
        }
        return name;
    }

    /** Lets the admin pause and resume a running server's outbound delivery (true from the action: done). */
    public void deliveryPause(java.util.function.Predicate<Boolean> pause) {
        this.deliveryPause = pause;
    }

    /** Pauses or resumes outbound delivery; an error when no server runs here. */
    void pauseDelivery(boolean pause) {
        java.util.function.Predicate<Boolean> control = deliveryPause;
        if (control == null || !control.test(pause)) {
            throw new AdminException("outbound delivery is not running here (is the server running?)");
        }
    }

    Instant started() {
        return started;
    }

    /** The canonical name of an existing user, or an error naming the address. */
    String existingUser(String address) {
        String user = Accounts.normalizeAddress(address);
        if (!store.accounts().userExists(user)) {
            throw new AdminException("no such user: " + address);
        }
        return user;
    }

    QuotaRoot quotaRoot(String user) {
        return ((org.apache.james.mailbox.quota.UserQuotaRootResolver) store.quotaRootResolver()).forUser(Username.of(user));
    }

    MailboxSession session(String user) {
        return store.mailboxManager().createSystemSession(Username.of(user));
    }

    static long directorySize(Path dir) {
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
