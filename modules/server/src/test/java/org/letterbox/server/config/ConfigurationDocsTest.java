package org.letterbox.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} against the code's own defaults ({@link ServerConfig#defaults()}): every key the
 * file takes has a row, every row names a key, and each row's default is the one the code applies.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9.]+)` \\| (.+?) \\| .*\\|$");

    private static Map<String, String> documented() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("../../docs/configuration.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.put(row.group(1), row.group(2).replace("`", "").trim());
            }
        }
        return rows;
    }

    /** The defaults as the file would spell them; a listener is one value, as the documentation shows it. */
    private static Map<String, String> defaults() {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
        Map<String, String> keys = new TreeMap<>();
        flatten("", json.valueToTree(ServerConfig.defaults()), keys);
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> keys) {
        if (node.isObject() && node.size() == 0) {
            keys.put(prefix, "{}");
            return;
        }
        if (node.isObject() && node.has("port") && node.has("tls") && node.has("address")) {
            keys.put(prefix, "{address: " + node.get("address").asText() + ", port: " + node.get("port").asText()
                + ", tls: " + node.get("tls").asText() + "}");
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
            }
            return;
        }
        if (node.isArray()) {
            StringBuilder list = new StringBuilder("[");
            node.forEach(item -> list.append(list.length() > 1 ? ", " : "").append(item.asText()));
            keys.put(prefix, list.append(']').toString());
            return;
        }
        keys.put(prefix, node.isNull() ? "none" : node.asText());
    }

    @Test
    void everyKeyOfTheFileHasARowAndEveryRowAKey() throws Exception {
        assertThat(documented().keySet()).containsExactlyInAnyOrderElementsOf(defaults().keySet());
    }

    @Test
    void everyDocumentedDefaultIsTheOneTheCodeApplies() throws Exception {
        Map<String, String> documented = documented();
        Map<String, String> defaults = defaults();
        defaults.keySet().retainAll(documented.keySet());
        Map<String, String> shown = new TreeMap<>(documented);
        shown.keySet().retainAll(defaults.keySet());
        assertThat(shown).isEqualTo(defaults);
    }
}
