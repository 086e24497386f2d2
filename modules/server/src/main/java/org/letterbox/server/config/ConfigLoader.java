package org.letterbox.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads {@code letterbox.yaml} strictly: unknown keys and bad values are errors that name the key. */
public final class ConfigLoader {

    private final ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        // enums are spelled as their toString(): TlsMode is "none", "starttls", "implicit"
        .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING);

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
            JsonNode tree = mapper.readTree(file.toFile());
            ObjectNode root = tree instanceof ObjectNode object ? object : mapper.createObjectNode();
            renameOldKeys(file, root, notices);
            for (Map.Entry<String, String> override : ENVIRONMENT_OVERRIDES.entrySet()) {
                String value = environment.get(override.getKey());
                if (value != null && !value.isBlank()) {
                    set(root, override.getValue(), value.trim());
                }
            }
            ServerConfig config = mapper.treeToValue(root, ServerConfig.class);
            return config == null ? ServerConfig.defaults() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "'");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new ConfigException(file + ": bad value for '" + path(e) + "': " + firstLine(why));
        } catch (IOException e) {
            throw new ConfigException(file + ": " + firstLine(e.getMessage()));
        }
    }

    private static void renameOldKeys(Path file, ObjectNode root, java.util.function.Consumer<String> notices) {
        for (Map.Entry<String, String> renamed : RENAMED_KEYS.entrySet()) {
            String[] old = renamed.getKey().split("\\.");
            String[] now = renamed.getValue().split("\\.");
            if (!(root.get(old[0]) instanceof ObjectNode section) || !section.has(old[1])) {
                continue;
            }
            JsonNode value = section.remove(old[1]);
            if (section.has(now[1])) {
                throw new ConfigException(file + ": '" + renamed.getKey() + "' is the old name of '" + renamed.getValue()
                    + "', which is set too; keep only '" + renamed.getValue() + "'");
            }
            section.set(now[1], value);
            notices.accept(file + ": '" + renamed.getKey() + "' is now called '" + renamed.getValue()
                + "'; the old name still works, rename it");
        }
    }

    private static void set(ObjectNode root, String dottedKey, String value) {
        String[] keys = dottedKey.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(keys[i]);
        }
        String last = keys[keys.length - 1];
        if (last.equals("port") && value.matches("\\d{1,9}")) {
            node.put(last, Integer.parseInt(value));
        } else {
            node.put(last, value);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
            .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
