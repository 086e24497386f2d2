package org.letterbox.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code letterbox.yaml} strictly: unknown keys and bad values are errors that name the key. SnakeYAML
 * parses the file and {@link RecordBinder} makes the {@link ServerConfig} records from it; Jackson's object mapper,
 * which did that before, cost a tenth of a second of every start.
 */
public final class ConfigLoader {

    /**
     * Environment variables that override a key of the file, e.g. for a container: the data directory, the
     * hostname and every port.
     */
    public static final Map<String, String> ENVIRONMENT_OVERRIDES = overrides();

    private static Map<String, String> overrides() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("LETTERBOX_DATA_DIR", "dataDirectory");
        map.put("LETTERBOX_HOSTNAME", "hostname");
        map.put("LETTERBOX_SMTP_PORT", "smtp.mx.port");
        map.put("LETTERBOX_SUBMISSION_PORT", "smtp.submission.port");
        map.put("LETTERBOX_SUBMISSIONS_PORT", "smtp.submissions.port");
        map.put("LETTERBOX_IMAP_PORT", "imap.imap.port");
        map.put("LETTERBOX_IMAPS_PORT", "imap.imaps.port");
        map.put("LETTERBOX_POP3_PORT", "pop3.pop3.port");
        map.put("LETTERBOX_POP3S_PORT", "pop3.pop3s.port");
        map.put("LETTERBOX_ADMIN_PORT", "admin.port");
        return Map.copyOf(map);
    }

    /**
     * Keys that were renamed so that one idea has one name in every section: an old name still works, with a
     * warning naming the new one.
     */
    public static final Map<String, String> RENAMED_KEYS = Map.of(
        "smtp.authFailureDelayMillis", "smtp.failedLoginDelayMillis",
        "smtp.plaintextAuthOnLoopback", "smtp.plaintextLoginOnLoopback");

    /** Reads {@code file}, then applies the {@link #ENVIRONMENT_OVERRIDES} set in this process's environment. */
    public ServerConfig load(Path file) {
        return load(file, System.getenv());
    }

    public ServerConfig load(Path file, Map<String, String> environment) {
        // the logger is asked for here, not in a static field: serve() reads the file while logging is still set up
        return load(file, environment, org.slf4j.LoggerFactory.getLogger(ConfigLoader.class)::warn);
    }

    /**
     * Reads {@code file} with {@code environment}'s overrides and hands what the user should hear of (an old key
     * name) to {@code notices} instead of the log, for a caller that reads the file before logging is set up.
     */
    public ServerConfig load(Path file, Map<String, String> environment, java.util.function.Consumer<String> notices) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such configuration file");
        }
        try {
            Map<String, Object> root = YamlTree.read(file);
            renameOldKeys(file, root, notices);
            for (Map.Entry<String, String> override : ENVIRONMENT_OVERRIDES.entrySet()) {
                String value = environment.get(override.getKey());
                if (value != null && !value.isBlank()) {
                    set(root, override.getValue(), new YamlTree.Scalar(value.trim(), override.getKey()));
                }
            }
            return RecordBinder.bind(ServerConfig.class, root);
        } catch (RecordBinder.Failure e) {
            if (e.unknownKey) {
                throw new ConfigException(file + ": unknown key '" + e.path + "'");
            }
            throw new ConfigException(file + ": " + (e.path.isEmpty() ? "" : "bad value for '" + e.path + "': ")
                + firstLine(e.getMessage()));
        } catch (YamlTree.SyntaxException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        }
    }

    private static void renameOldKeys(Path file, Map<String, Object> root, java.util.function.Consumer<String> notices) {
        for (Map.Entry<String, String> renamed : RENAMED_KEYS.entrySet()) {
            String[] old = renamed.getKey().split("\\.");
            String[] now = renamed.getValue().split("\\.");
            if (!(root.get(old[0]) instanceof Map<?, ?> found) || !found.containsKey(old[1])) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> section = (Map<String, Object>) found;
            Object value = section.remove(old[1]);
            if (section.containsKey(now[1])) {
                throw new ConfigException(file + ": '" + renamed.getKey() + "' is the old name of '" + renamed.getValue()
                    + "', which is set too; keep only '" + renamed.getValue() + "'");
            }
            section.put(now[1], value);
            notices.accept(file + ": '" + renamed.getKey() + "' is now called '" + renamed.getValue()
                + "'; the old name still works, rename it");
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> root, String dottedKey, YamlTree.Scalar value) {
        String[] keys = dottedKey.split("\\.");
        Map<String, Object> section = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Object child = section.get(keys[i]);
            if (!(child instanceof Map<?, ?>)) {
                child = new LinkedHashMap<String, Object>();
                section.put(keys[i], child);
            }
            section = (Map<String, Object>) child;
        }
        section.put(keys[keys.length - 1], value);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
