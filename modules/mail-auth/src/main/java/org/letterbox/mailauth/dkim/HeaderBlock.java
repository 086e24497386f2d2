package org.letterbox.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A message's header fields, read from the start of a stream up to the empty line, each kept as it stands (name,
 * colon, value and folded lines, without the final line break). The stream is left at the first byte of the body.
 * At most {@link #MAX_BYTES} are read: a header block larger than that is not a message anyone signs.
 */
public final class HeaderBlock {

    /** Longest header block read. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** One header field: its name and its raw text. */
    public record Field(String name, String raw) {
        /** The value, unfolded, without the name and colon, trimmed. */
        public String value() {
            return raw.substring(raw.indexOf(':') + 1).replace("\r\n", "").replace("\n", "").strip();
        }

        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    private final List<Field> fields;

    private HeaderBlock(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public List<Field> fields() {
        return fields;
    }

    /** The fields called {@code name}, top first. */
    public List<Field> all(String name) {
        return fields.stream().filter(field -> field.is(name)).toList();
    }

    /** The first field called {@code name}. */
    public Optional<Field> first(String name) {
        return fields.stream().filter(field -> field.is(name)).findFirst();
    }

    /** Reads the header block; the stream is left at the start of the body. */
    public static HeaderBlock read(InputStream in) throws IOException {
        List<Field> fields = new ArrayList<>();
        ByteArrayOutputStream current = null;
        int total = 0;
        while (true) {
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                break;
            }
            total += line.length() + 2;
            if (total > MAX_BYTES) {
                throw new IOException("header block larger than " + MAX_BYTES + " bytes");
            }
            boolean folded = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (folded && current != null) {
                current.writeBytes(("\r\n" + line).getBytes(StandardCharsets.ISO_8859_1));
                continue;
            }
            if (current != null) {
                add(fields, current);
            }
            current = new ByteArrayOutputStream();
            current.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        if (current != null) {
            add(fields, current);
        }
        return new HeaderBlock(fields);
    }

    private static void add(List<Field> fields, ByteArrayOutputStream bytes) {
        // bytes are read as ISO-8859-1 and given back as UTF-8 text, so 8-bit headers keep their bytes
        String raw = new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            return;
        }
        fields.add(new Field(raw.substring(0, colon).strip(), raw));
    }

    /** One line without its ending (CRLF or LF), as ISO-8859-1 text; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_BYTES) {
                throw new IOException("header line longer than " + MAX_BYTES + " bytes");
            }
        }
        return line.size() == 0 ? null : new String(line.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    /** The domain of the (first) address in the From field, lower case; empty when it names none. */
    public Optional<String> fromDomain() {
        return first("From").flatMap(HeaderBlock::addressDomain);
    }

    private static Optional<String> addressDomain(Field from) {
        String value = from.value();
        int close = value.lastIndexOf('>');
        int open = close > 0 ? value.lastIndexOf('<', close) : -1;
        String address = open >= 0 ? value.substring(open + 1, close) : value.split(",")[0];
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).strip().toLowerCase(Locale.ROOT);
        return domain.isEmpty() ? Optional.empty() : Optional.of(domain);
    }
}
