package org.letterbox.store.account;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.letterbox.store.jdbc.Database;

/**
 * Every domain, user name and alias, read at once: what routing a recipient needs, answered from memory. A
 * personal or small-team server has at most thousands of rows (about 100 bytes each here).
 */
record Directory(Set<String> domains, Set<String> users, Map<String, List<String>> aliases) {

    Directory {
        domains = Set.copyOf(domains);
        users = Set.copyOf(users);
        aliases = Map.copyOf(aliases);
    }

    /** The alias targets of {@code source} in target order, empty when it has none. */
    List<String> aliasTargets(String source) {
        return aliases.getOrDefault(source, List.of());
    }

    static Directory load(Database db) {
        return db.read(c -> {
            Set<String> domains = new HashSet<>();
            Set<String> users = new HashSet<>();
            Map<String, List<String>> aliases = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT name FROM domains"); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    domains.add(rs.getString(1));
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT username FROM users"); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT source, target FROM aliases ORDER BY source, target");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    aliases.computeIfAbsent(rs.getString(1), key -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            aliases.replaceAll((source, targets) -> List.copyOf(targets));
            return new Directory(domains, users, aliases);
        });
    }
}
