package org.letterbox.store.account;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.letterbox.store.jdbc.Database;

/**
 * Domains, users and aliases. Addresses are stored in lower case; a user's name is their full address.
 *
 * <p>Alias resolution ({@link #resolve}) follows this order: an exact alias, then the address without its
 * {@code +tag} (plus-addressing), then a user of that name, then the domain's catch-all alias {@code @domain}.
 *
 * <p>Lookups ({@link #isLocalDomain}, {@link #userExists}, {@link #resolve}) are answered from a {@link Directory}
 * read once and dropped by every change made here, after its commit. All changes to these tables go through this
 * class (the CLI reaches the running server's instance through the admin endpoint); a second node sharing the
 * database would have to drop it too.
 */
public final class Accounts {

    private static final int MAX_ALIAS_DEPTH = 8;

    private final Database db;
    private final PasswordHasher hasher;
    private final String plusSeparator;
    private final java.util.List<java.util.function.Consumer<String>> credentialListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> directoryListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Object directoryLock = new Object();
    private long directoryGeneration;
    private volatile Directory directory;

    /**
     * @param plusSeparator the sub-address separator ("+" gives {@code user+tag@domain}); empty disables it
     */
    private final List<java.util.function.Consumer<String>> domainListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Accounts(Database db, PasswordHasher hasher, String plusSeparator) {
        this.db = db;
        this.hasher = hasher;
        this.plusSeparator = plusSeparator == null ? "" : plusSeparator;
    }

    /** {@code listener} hears the canonical name of every user whose password changes or who is removed. */
    public void onCredentialChange(java.util.function.Consumer<String> listener) {
        credentialListeners.add(listener);
    }

    /** {@code listener} hears of every change this process makes to users, domains or aliases. */
    public void onDirectoryChange(Runnable listener) {
        directoryListeners.add(listener);
    }

    /** Drops what is cached of users, domains and aliases (another node changed them). */
    public void forgetDirectory() {
        synchronized (directoryLock) {
            directoryGeneration++;
            directory = null;
        }
    }

    private void credentialChanged(String user) {
        credentialListeners.forEach(listener -> listener.accept(user));
    }

    private Directory directory() {
        Directory current = directory;
        if (current != null) {
            return current;
        }
        long generation;
        synchronized (directoryLock) {
            generation = directoryGeneration;
        }
        Directory loaded = Directory.load(db);
        synchronized (directoryLock) {
            // a change committed while we read makes what we read stale: use it once, keep none
            if (generation == directoryGeneration) {
                directory = loaded;
            }
        }
        return loaded;
    }

    /** Runs a write to the domains, users or aliases, then drops the directory, whatever the outcome. */
    private int changeDirectory(Database.Work<Integer> work) {
        try {
            return db.write(work);
        } finally {
            forgetDirectory();
            directoryListeners.forEach(Runnable::run);
        }
    }

    /** Canonical form of an address, or an exception naming what is wrong with it. */
    public static String normalizeAddress(String address) {
        String value = address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1 || value.indexOf('@') != at || value.chars().anyMatch(ch -> ch <= ' ')) {
            throw new AccountException("bad address: '" + address + "' (expected local@domain)");
        }
        return value.substring(0, at + 1) + normalizeDomain(value.substring(at + 1));
    }

    /** Canonical form of a domain: lower case, and an IDNA A-label ({@code xn--...}) in its Unicode form. */
    public static String normalizeDomain(String domain) {
        String value = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        if (value.contains("xn--")) {
            value = java.net.IDN.toUnicode(value, java.net.IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        }
        if (value.isEmpty() || value.length() > 253 || !value.matches("[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?)*")) {
            throw new AccountException("bad domain: '" + domain + "'");
        }
        return value;
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    // ---- domains

    public void addDomain(String domain) {
        String name = normalizeDomain(domain);
        if (domainExists(name)) {
            throw new AccountException("domain " + name + " already exists");
        }
        changeDirectory(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO domains (name, created) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                return insert.executeUpdate();
            }
        });
        domainListeners.forEach(listener -> listener.accept(name));
    }

    /** Runs {@code listener} with the canonical name of every domain added from now on, after it is committed. */
    public void onDomainAdded(java.util.function.Consumer<String> listener) {
        domainListeners.add(listener);
    }

    public boolean domainExists(String domain) {
        return directory().domains().contains(domain.toLowerCase(Locale.ROOT));
    }

    public List<String> listDomains() {
        return strings("SELECT name FROM domains ORDER BY name", null);
    }

    public void removeDomain(String domain) {
        String name = normalizeDomain(domain);
        if (!domainExists(name)) {
            throw new AccountException("unknown domain " + name);
        }
        if (!listUsers().stream().filter(u -> domainOf(u).equals(name)).toList().isEmpty()) {
            throw new AccountException("domain " + name + " still has users; remove them first");
        }
        changeDirectory(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM domains WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate();
            }
        });
    }

    // ---- users

    public void addUser(String address, CharSequence password) {
        String user = normalizeAddress(address);
        if (!domainExists(domainOf(user))) {
            throw new AccountException("unknown domain " + domainOf(user) + "; add it first");
        }
        if (userExists(user)) {
            throw new AccountException("user " + user + " already exists");
        }
        checkPassword(password);
        String hash = hasher.hash(password);
        changeDirectory(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, password_hash, created) VALUES (?, ?, ?)")) {
                insert.setString(1, user);
                insert.setString(2, hash);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                return insert.executeUpdate();
            }
        });
    }

    private static void checkPassword(CharSequence password) {
        if (password == null || password.length() == 0) {
            throw new AccountException("the password must not be empty");
        }
    }

    public boolean userExists(String address) {
        return directory().users().contains(address.toLowerCase(Locale.ROOT));
    }

    public List<String> listUsers() {
        return strings("SELECT username FROM users ORDER BY username", null);
    }

    public void changePassword(String address, CharSequence password) {
        String user = normalizeAddress(address);
        checkPassword(password);
        String hash = hasher.hash(password);
        int updated = db.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET password_hash = ? WHERE username = ?")) {
                update.setString(1, hash);
                update.setString(2, user);
                return update.executeUpdate();
            }
        });
        credentialChanged(user);
        if (updated == 0) {
            throw new AccountException("unknown user " + user);
        }
    }

    public void removeUser(String address) {
        String user = normalizeAddress(address);
        int removed = changeDirectory(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                delete.setString(1, user);
                return delete.executeUpdate();
            }
        });
        credentialChanged(user);
        if (removed == 0) {
            throw new AccountException("unknown user " + user);
        }
    }

    /** The stored password hash of {@code user} (already in canonical form), if there is such a user. */
    Optional<String> storedHash(String user) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT password_hash FROM users WHERE username = ?")) {
                select.setString(1, user);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Replaces {@code user}'s hash with {@code fresh} only if it is still {@code old}; true when it was replaced. */
    boolean replaceHash(String user, String old, String fresh) {
        return db.write(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?")) {
                update.setString(1, fresh);
                update.setString(2, user);
                update.setString(3, old);
                return update.executeUpdate();
            }
        }) == 1;
    }

    // ---- aliases

    /** Adds an alias from {@code source} (an address, or {@code @domain} for a catch-all) to {@code target}. */
    public void addAlias(String source, String target) {
        String from = source.trim().startsWith("@") ? "@" + normalizeDomain(source.trim().substring(1)) : normalizeAddress(source);
        String to = normalizeAddress(target);
        if (!domainExists(domainOf(from))) {
            throw new AccountException("unknown domain " + domainOf(from) + "; add it first");
        }
        if (aliasTargets(from).contains(to)) {
            throw new AccountException("alias " + from + " -> " + to + " already exists");
        }
        changeDirectory(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO aliases (source, target) VALUES (?, ?)")) {
                insert.setString(1, from);
                insert.setString(2, to);
                return insert.executeUpdate();
            }
        });
    }

    public void removeAlias(String source, String target) {
        String from = source.trim().toLowerCase(Locale.ROOT);
        String to = target.trim().toLowerCase(Locale.ROOT);
        int removed = changeDirectory(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM aliases WHERE source = ? AND target = ?")) {
                delete.setString(1, from);
                delete.setString(2, to);
                return delete.executeUpdate();
            }
        });
        if (removed == 0) {
            throw new AccountException("no alias " + from + " -> " + to);
        }
    }

    /** Every alias as source and target. */
    public List<Alias> listAliases() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT source, target FROM aliases ORDER BY source, target");
                 ResultSet rs = select.executeQuery()) {
                List<Alias> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(new Alias(rs.getString(1), rs.getString(2)));
                }
                return result;
            }
        });
    }

    /** An alias from one address (or catch-all {@code @domain}) to one target address. */
    public record Alias(String source, String target) {
    }

    private List<String> aliasTargets(String source) {
        return directory().aliasTargets(source);
    }

    /** True when {@code domain} is one we accept mail for. */
    public boolean isLocalDomain(String domain) {
        return domainExists(domain);
    }

    /**
     * Where mail for {@code address} goes: local user names and remote addresses (from aliases pointing
     * outside). Empty when the address is in a local domain but nobody receives it. Remote input addresses are
     * returned as they are.
     */
    public Set<String> resolve(String address) {
        Set<String> result = new LinkedHashSet<>();
        resolveInto(address.trim().toLowerCase(Locale.ROOT), result, 0);
        return result;
    }

    /**
     * {@link #resolve} as typed routes: each local user, and each address outside our domains. Empty when the
     * address is in a local domain but nobody receives it.
     */
    public Set<Route> route(String address) {
        Set<Route> routes = new LinkedHashSet<>();
        for (String target : resolve(address)) {
            routes.add(userExists(target) ? new Route.LocalUser(target) : new Route.RemoteAddress(target));
        }
        return routes;
    }

    private void resolveInto(String address, Set<String> result, int depth) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || !isLocalDomain(address.substring(at + 1))) {
            result.add(address);
            return;
        }
        if (depth > MAX_ALIAS_DEPTH) {
            return;
        }
        List<String> targets = aliasTargets(address);
        if (!targets.isEmpty()) {
            for (String target : targets) {
                if (target.equals(address)) {
                    if (userExists(address)) {
                        result.add(address);
                    }
                } else {
                    resolveInto(target, result, depth + 1);
                }
            }
            return;
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!plusSeparator.isEmpty()) {
            int plus = local.indexOf(plusSeparator);
            if (plus > 0) {
                resolveInto(local.substring(0, plus) + "@" + domain, result, depth + 1);
                return;
            }
        }
        if (userExists(address)) {
            result.add(address);
            return;
        }
        for (String target : aliasTargets("@" + domain)) {
            resolveInto(target, result, depth + 1);
        }
    }

    /** The addresses a user may send as: their own and every alias that resolves to them. */
    /**
     * Lets {@code address} submit messages whose header From is any address (a shared mailbox, a mailing tool), or
     * holds it to its own addresses again (the default). The envelope sender stays checked either way.
     *
     * @throws AccountException when there is no such user
     */
    public void setAnyFromAllowed(String address, boolean allowed) {
        String user = normalizeAddress(address);
        int updated = db.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET any_from = ? WHERE username = ?")) {
                update.setShort(1, (short) (allowed ? 1 : 0));
                update.setString(2, user);
                return update.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new AccountException("no such user: " + user);
        }
    }

    /** Whether {@code user} may submit with a header From that is not theirs ({@link #setAnyFromAllowed}). */
    public boolean anyFromAllowed(String user) {
        String name = user.toLowerCase(Locale.ROOT);
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT any_from FROM users WHERE username = ?")) {
                select.setString(1, name);
                try (java.sql.ResultSet rs = select.executeQuery()) {
                    return rs.next() && rs.getShort(1) != 0;
                }
            }
        });
    }

    public boolean ownsAddress(String user, String address) {
        String owner = user.toLowerCase(Locale.ROOT);
        String candidate = address.trim().toLowerCase(Locale.ROOT);
        if (candidate.equals(owner)) {
            return true;
        }
        int at = candidate.lastIndexOf('@');
        if (at <= 0 || !isLocalDomain(candidate.substring(at + 1))) {
            return false;
        }
        return resolve(candidate).contains(owner);
    }

    private List<String> strings(String sql, String parameter) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (parameter != null) {
                    select.setString(1, parameter);
                }
                List<String> result = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        result.add(rs.getString(1));
                    }
                }
                return result;
            }
        });
    }
}
