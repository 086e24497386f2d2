package org.letterbox.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * What the end-of-DATA policies want changed in the message before it is stored: header fields to add (DKIM
 * signatures, Authentication-Results), header fields to take out (a forged Authentication-Results), and the folder
 * it goes to (Junk for a DMARC quarantine). Each policy hook adds to the transaction's edits; {@link DeliveryHook}
 * applies them once, when it stores the message. Added fields go after our Return-Path line, which must stay first.
 */
final class MessageEdits {

    static final ProtocolSession.AttachmentKey<MessageEdits> KEY =
        ProtocolSession.AttachmentKey.of("letterbox.messageEdits", MessageEdits.class);
    /** Splits the header block after each line end, the line ends kept (compiled once, not per message). */
    private static final java.util.regex.Pattern LINE_ENDS = java.util.regex.Pattern.compile("(?<=\n)");

    private final List<String> added = new ArrayList<>();
    private final List<Predicate<String>> dropped = new ArrayList<>();
    private String folder = "INBOX";

    /** The transaction's edits, made on first use. */
    static MessageEdits of(SMTPSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Transaction).orElseGet(() -> {
            MessageEdits edits = new MessageEdits();
            session.setAttachment(KEY, edits, ProtocolSession.State.Transaction);
            return edits;
        });
    }

    /** The transaction's edits, or none. */
    static MessageEdits existing(SMTPSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Transaction).orElse(new MessageEdits());
    }

    /** Adds a whole header field, ending in CRLF. */
    MessageEdits add(String field) {
        added.add(field);
        return this;
    }

    /** Takes out every header field whose raw text (name, colon, value) {@code which} accepts. */
    MessageEdits drop(Predicate<String> which) {
        dropped.add(which);
        return this;
    }

    MessageEdits folder(String name) {
        this.folder = name;
        return this;
    }

    String folder() {
        return folder;
    }

    boolean unchanged() {
        return added.isEmpty() && dropped.isEmpty();
    }

    /** The edited message. */
    record Content(Supplier<InputStream> stream, long size) {
    }

    /** {@code original} (of {@code size} bytes) with the edits applied. */
    Content apply(Supplier<InputStream> original, long size) throws IOException {
        if (unchanged()) {
            return new Content(original, size);
        }
        byte[] header;
        long headerLength;
        try (InputStream in = original.get()) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            headerLength = readHeader(in, raw);
            header = edit(raw.toByteArray());
        }
        long length = size - headerLength + header.length;
        return new Content(() -> {
            InputStream in = original.get();
            try {
                in.skipNBytes(headerLength);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new SequenceInputStream(new ByteArrayInputStream(header), in);
        }, length);
    }

    /** Copies the header block, up to and including its empty line, into {@code out}; its length. */
    private static long readHeader(InputStream in, ByteArrayOutputStream out) throws IOException {
        int lineLength = 0;
        int previous = -1;
        for (int b; (b = in.read()) >= 0; previous = b) {
            out.write(b);
            if (out.size() > 4 * 1024 * 1024) {
                throw new IOException("header block over 4 MB");
            }
            if (b == '\n') {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
                    break;
                }
                lineLength = 0;
            } else {
                lineLength++;
            }
        }
        return out.size();
    }

    private byte[] edit(byte[] block) {
        String text = new String(block, StandardCharsets.ISO_8859_1);
        List<String> fields = new ArrayList<>();
        String ending = "";
        StringBuilder current = null;
        for (String line : LINE_ENDS.split(text)) {
            if (line.equals("\r\n") || line.equals("\n")) {
                ending = line;
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.append(line);
                continue;
            }
            if (current != null) {
                fields.add(current.toString());
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            fields.add(current.toString());
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        if (!fields.isEmpty() && fields.get(0).regionMatches(true, 0, "Return-Path:", 0, 12)) {
            out.append(fields.get(0));
            start = 1;
        }
        for (String field : added) {
            // added fields are ours and ASCII; the rest keeps its bytes through ISO-8859-1
            out.append(field);
        }
        for (int i = start; i < fields.size(); i++) {
            String field = fields.get(i);
            String utf8 = new String(field.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            if (dropped.stream().noneMatch(which -> which.test(utf8.strip()))) {
                out.append(field);
            }
        }
        out.append(ending);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
