package org.letterbox.cli.transfer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.letterbox.server.admin.Admin.TransferMessage;

/**
 * The mboxrd format: each message after a {@code From } line, body lines that start with {@code >*From } quoted
 * with one more {@code >}, LF line ends.
 *
 * <p>Flags travel in the headers mutt, Dovecot and Thunderbird read: {@code Status} (R seen, O old),
 * {@code X-Status} (A answered, F flagged, T draft, D deleted) and {@code X-Keywords}. They are written as the first
 * header lines and taken out again on import, together with the LF to CRLF conversion, so an export imported again
 * gives the same bytes for messages stored with CRLF line ends (all mail received over SMTP is).
 */
public final class Mbox {

    private static final DateTimeFormatter FROM_LINE_DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US);

    private Mbox() {
    }

    /** Writes one message. */
    public static void write(OutputStream out, TransferMessage message) throws IOException {
        LocalDateTime date = LocalDateTime.ofInstant(Instant.ofEpochMilli(message.internalDate()), ZoneOffset.UTC);
        StringBuilder head = new StringBuilder("From MAILER-DAEMON ").append(FROM_LINE_DATE.format(date)).append('\n');
        head.append(flagHeaders(message.flags()));
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] content = message.content();
        int start = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int lineEnd = end;
            if (end < content.length && end > start && content[end - 1] == '\r') {
                lineEnd = end - 1;
            }
            if (isQuotedFrom(content, start, lineEnd)) {
                out.write('>');
            }
            out.write(content, start, lineEnd - start);
            out.write('\n');
            start = end + 1;
        }
        out.write('\n');
    }

    private static String flagHeaders(List<String> flags) {
        StringBuilder status = new StringBuilder("O");
        StringBuilder xStatus = new StringBuilder();
        List<String> keywords = new ArrayList<>();
        for (String flag : flags) {
            switch (flag.toLowerCase(Locale.ROOT)) {
                case "\\seen" -> status.insert(0, 'R');
                case "\\answered" -> xStatus.append('A');
                case "\\flagged" -> xStatus.append('F');
                case "\\draft" -> xStatus.append('T');
                case "\\deleted" -> xStatus.append('D');
                default -> {
                    if (!flag.startsWith("\\")) {
                        keywords.add(flag);
                    }
                }
            }
        }
        StringBuilder headers = new StringBuilder("Status: ").append(status).append('\n');
        if (xStatus.length() > 0) {
            headers.append("X-Status: ").append(xStatus).append('\n');
        }
        if (!keywords.isEmpty()) {
            headers.append("X-Keywords: ").append(String.join(" ", keywords)).append('\n');
        }
        return headers.toString();
    }

    /** Whether {@code line} matches {@code >*From } (and so takes, or gives back, one {@code >}). */
    private static boolean isQuotedFrom(byte[] line, int start, int end) {
        int i = start;
        while (i < end && line[i] == '>') {
            i++;
        }
        return end - i >= 5 && line[i] == 'F' && line[i + 1] == 'r' && line[i + 2] == 'o' && line[i + 3] == 'm' && line[i + 4] == ' ';
    }

    /** Receives each line of an mbox file and whether it opens a message (a {@code From } line after a blank one). */
    private interface LineVisitor {
        void line(byte[] line, boolean opensMessage);
    }

    /** The one pass over an mbox file that both {@link #count} and {@link #read} make. */
    private static void scan(Path file, LineVisitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean previousBlank = true;
            while (true) {
                int b = readLine(in, line);
                if (b < 0 && line.size() == 0) {
                    return;
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                visitor.line(bytes, previousBlank && startsWithFrom(bytes));
                previousBlank = bytes.length == 0;
                if (b < 0) {
                    return;
                }
            }
        }
    }

    /** How many messages {@code file} holds (a quick pass over its {@code From } lines). */
    public static int count(Path file) throws IOException {
        int[] count = {0};
        scan(file, (line, opensMessage) -> {
            if (opensMessage) {
                count[0]++;
            }
        });
        return count[0];
    }

    /** Reads every message of {@code file}, in order, handing each to {@code sink}. */
    public static void read(Path file, Consumer<TransferMessage> sink) throws IOException {
        List<List<byte[]>> current = new ArrayList<>(1);
        long[] date = {0};
        scan(file, (line, opensMessage) -> {
            if (opensMessage) {
                if (!current.isEmpty()) {
                    sink.accept(message(current.remove(0), date[0]));
                }
                current.add(new ArrayList<>());
                date[0] = fromLineDate(new String(line, StandardCharsets.US_ASCII));
            } else if (!current.isEmpty()) {
                current.get(0).add(line);
            }
        });
        if (!current.isEmpty()) {
            sink.accept(message(current.get(0), date[0]));
        }
    }

    /** Reads one line into {@code line} without its LF (and a CR before it); returns -1 at the end of the stream. */
    private static int readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    line.reset();
                    line.write(bytes, 0, bytes.length - 1);
                }
                return b;
            }
            line.write(b);
        }
        return -1;
    }

    private static boolean startsWithFrom(byte[] line) {
        return line.length >= 5 && line[0] == 'F' && line[1] == 'r' && line[2] == 'o' && line[3] == 'm' && line[4] == ' ';
    }

    private static long fromLineDate(String fromLine) {
        String[] parts = fromLine.trim().split(" +");
        if (parts.length >= 7) {
            String date = String.join(" ", parts[parts.length - 5], parts[parts.length - 4], parts[parts.length - 3],
                parts[parts.length - 2], parts[parts.length - 1]);
            try {
                return LocalDateTime.parse(date, FROM_LINE_DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through: the import time is as good a date as any
            }
        }
        return System.currentTimeMillis();
    }

    private static TransferMessage message(List<byte[]> lines, long date) {
        // the blank line before the next "From " belongs to the mbox, not to the message
        int count = lines.size();
        if (count > 0 && lines.get(count - 1).length == 0) {
            count--;
        }
        List<String> flags = new ArrayList<>();
        int first = 0;
        while (first < count) {
            String header = new String(lines.get(first), StandardCharsets.US_ASCII);
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("status:")) {
                if (header.substring(7).contains("R")) {
                    flags.add("\\Seen");
                }
            } else if (lower.startsWith("x-status:")) {
                String letters = header.substring(9);
                addIf(flags, letters, 'A', "\\Answered");
                addIf(flags, letters, 'F', "\\Flagged");
                addIf(flags, letters, 'T', "\\Draft");
                addIf(flags, letters, 'D', "\\Deleted");
            } else if (lower.startsWith("x-keywords:")) {
                for (String keyword : header.substring(11).trim().split("[ ,]+")) {
                    if (!keyword.isEmpty()) {
                        flags.add(keyword);
                    }
                }
            } else {
                break;
            }
            first++;
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int i = first; i < count; i++) {
            byte[] line = lines.get(i);
            int skip = isQuotedFrom(line, 0, line.length) && line.length > 0 && line[0] == '>' ? 1 : 0;
            content.write(line, skip, line.length - skip);
            content.write('\r');
            content.write('\n');
        }
        return new TransferMessage(0, content.toByteArray(), flags, date);
    }

    private static void addIf(List<String> flags, String letters, char letter, String flag) {
        if (letters.indexOf(letter) >= 0) {
            flags.add(flag);
        }
    }
}
