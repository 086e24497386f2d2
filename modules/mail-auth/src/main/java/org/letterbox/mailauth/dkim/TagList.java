package org.letterbox.mailauth.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A tag-value list (RFC 6376 §3.2), as DKIM-Signature headers, DKIM key records and DMARC records are written:
 * {@code tag=value; tag=value}. White space around tags, values and separators is dropped; inside a value, folding
 * white space is kept for the caller (a base64 value drops it).
 */
public final class TagList {

    private final Map<String, String> tags;

    private TagList(Map<String, String> tags) {
        this.tags = tags;
    }

    /** Parses {@code text}; empty when a tag repeats or a part has no {@code =} (both make the list invalid). */
    public static Optional<TagList> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : text.split(";", -1)) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            String tag = trimmed.substring(0, equals).strip();
            if (!tag.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_') || tags.containsKey(tag)) {
                return Optional.empty();
            }
            tags.put(tag, trimmed.substring(equals + 1).strip());
        }
        return Optional.of(new TagList(tags));
    }

    public Optional<String> get(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    /** The value with every white space character removed (for base64 and lists). */
    public Optional<String> compact(String tag) {
        return get(tag).map(value -> value.replaceAll("[ \\t\\r\\n]", ""));
    }

    public boolean has(String tag) {
        return tags.containsKey(tag);
    }
}
