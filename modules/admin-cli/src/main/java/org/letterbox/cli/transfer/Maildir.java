package org.letterbox.cli.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.letterbox.server.admin.Admin.TransferMessage;
import org.letterbox.store.files.OwnerOnly;

/**
 * A Maildir ({@code cur/}, {@code new/}, {@code tmp/}): one file per message, its bytes as stored, flags in the
 * {@code :2,} suffix of the name (D draft, F flagged, R replied, S seen, T trashed) and the internal date as the
 * file's modification time. Keywords are not kept (the format has no portable place for them). An export is
 * readable by its owner only; an import does not follow symbolic links.
 */
public final class Maildir {

    private Maildir() {
    }

    /**
     * Creates {@code cur/}, {@code new/} and {@code tmp/} under {@code dir}, readable by their owner only; none of
     * them may be a link out of {@code dir}.
     */
    public static void create(Path dir) throws IOException {
        OwnerOnly.directory(dir);
        for (String sub : List.of("cur", "new", "tmp")) {
            Path folder = dir.resolve(sub);
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                OwnerOnly.requireInside(dir, folder);
            }
            OwnerOnly.directory(folder);
        }
    }

    /** Writes one message into {@code cur/}, through {@code tmp/} as the format asks. */
    public static void write(Path dir, TransferMessage message, long sequence) throws IOException {
        String base = (message.internalDate() / 1000) + "." + message.uid() + "_" + sequence + ".letterbox";
        Path temporary = dir.resolve("tmp").resolve(base);
        OwnerOnly.write(temporary, message.content());
        Files.setLastModifiedTime(temporary, FileTime.fromMillis(message.internalDate()));
        Files.move(temporary, dir.resolve("cur").resolve(base + ":2," + letters(message.flags())));
    }

    private static String letters(List<String> flags) {
        TreeMap<Character, Boolean> letters = new TreeMap<>();
        for (String flag : flags) {
            switch (flag.toLowerCase(Locale.ROOT)) {
                case "\\draft" -> letters.put('D', true);
                case "\\flagged" -> letters.put('F', true);
                case "\\answered" -> letters.put('R', true);
                case "\\seen" -> letters.put('S', true);
                case "\\deleted" -> letters.put('T', true);
                default -> { }
            }
        }
        StringBuilder result = new StringBuilder();
        letters.keySet().forEach(result::append);
        return result.toString();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir.resolve("cur")) && !Files.isDirectory(dir.resolve("new"))) {
            throw new IOException(dir + " is not a Maildir (no cur/ or new/)");
        }
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path folder = dir.resolve(sub);
            if (Files.isDirectory(folder)) {
                OwnerOnly.requireInside(dir, folder);
                try (Stream<Path> listing = Files.list(folder)) {
                    // a link is not followed: it could lead anywhere the user running the import can read
                    listing.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    /** How many messages {@code dir} holds. */
    public static int count(Path dir) throws IOException {
        return files(dir).size();
    }

    /** Reads every message of {@code dir} ({@code new/} then {@code cur/}, by name), handing each to {@code sink}. */
    public static void read(Path dir, Consumer<TransferMessage> sink) throws IOException {
        for (Path file : files(dir)) {
            String name = file.getFileName().toString();
            List<String> flags = new ArrayList<>();
            int info = name.indexOf(":2,");
            if (info >= 0) {
                String letters = name.substring(info + 3);
                addIf(flags, letters, 'D', "\\Draft");
                addIf(flags, letters, 'F', "\\Flagged");
                addIf(flags, letters, 'R', "\\Answered");
                addIf(flags, letters, 'S', "\\Seen");
                addIf(flags, letters, 'T', "\\Deleted");
            }
            sink.accept(new TransferMessage(0, Files.readAllBytes(file), flags, Files.getLastModifiedTime(file).toMillis()));
        }
    }

    private static void addIf(List<String> flags, String letters, char letter, String flag) {
        if (letters.indexOf(letter) >= 0) {
            flags.add(flag);
        }
    }
}
