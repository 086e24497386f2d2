package org.letterbox.store.jdbc;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.letterbox.store.files.OwnerOnly;

/**
 * Message bytes handed out without holding them in the heap. Up to {@value #IN_MEMORY_LIMIT} bytes they are read
 * whole; a larger message is streamed from its BLOB into a file under the data directory's {@code spool/} (0600),
 * which is unlinked as soon as it is open, so the reader gets a plain file stream, the disk space goes with its
 * close (or with the process), and nothing is left behind after a crash.
 */
public final class ContentSpool {

    /** Messages up to this size are kept in memory when read; larger ones are spooled. */
    public static final int IN_MEMORY_LIMIT = 256 * 1024;

    private final Path directory;
    private final long inlineLimit;

    /**
     * @param inlineLimit messages up to this size keep their bytes in their {@code message_content} row; larger
     *                    ones in {@code message_chunks} (the dialect's {@link SqlDialect#inlineContentLimit()})
     */
    public ContentSpool(Path dataDirectory, long inlineLimit) {
        this.directory = dataDirectory.resolve("spool");
        this.inlineLimit = inlineLimit;
        try {
            OwnerOnly.directory(directory);
            // leftovers of a process that died between creating and unlinking a file
            try (var old = Files.list(directory)) {
                for (Path file : old.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Largest message whose bytes are kept in its row rather than in chunks. */
    public long inlineLimit() {
        return inlineLimit;
    }

    /** The content column {@code column} of the current row, as a stream that costs no heap beyond a buffer. */
    public InputStream open(ResultSet row, int column, long size) throws SQLException {
        if (size <= IN_MEMORY_LIMIT) {
            byte[] bytes = row.getBytes(column);
            return new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
        }
        return spool(size, out -> {
            try (InputStream blob = row.getBinaryStream(column)) {
                blob.transferTo(out);
            }
        });
    }

    /**
     * A message of {@code size} bytes stored as chunks, read one chunk at a time (each its own query, so the driver
     * never holds more than one) into a spool file.
     */
    public InputStream openChunks(java.sql.Connection c, String messageId, long size, int chunkSize) throws SQLException {
        return spool(size, out -> {
            try (java.sql.PreparedStatement select = c.prepareStatement(
                    "SELECT data FROM message_chunks WHERE message_id = ? AND seq = ?")) {
                long chunks = (size + chunkSize - 1) / chunkSize;
                for (int seq = 0; seq < chunks; seq++) {
                    select.setString(1, messageId);
                    select.setInt(2, seq);
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("chunk " + seq + " of message " + messageId + " is missing");
                        }
                        out.write(rs.getBytes(1));
                    }
                }
            }
        });
    }

    /** Writes the bytes of a message into the spool. */
    @FunctionalInterface
    private interface Filler {
        void fill(OutputStream out) throws IOException, SQLException;
    }

    /** A spool file filled by {@code filler}, open for reading and already unlinked. */
    private InputStream spool(long size, Filler filler) throws SQLException {
        try {
            Path file = Files.createTempFile(directory, "content", ".eml");
            try {
                OwnerOnly.file(file);
                try (OutputStream out = Files.newOutputStream(file)) {
                    filler.fill(out);
                }
                return new FileInputStream(file.toFile());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new SQLException("cannot spool a message of " + size + " bytes: " + e.getMessage(), e);
        }
    }
}
