package org.letterbox.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space left where the data lives. A message is taken only while, once written, at least the configured
 * reserve would remain: the database then never meets a full disk (Derby stops a database whose log cannot be
 * written), and as soon as space comes back, messages are taken again.
 */
public final class DiskSpace {

    /** A write refused for want of disk space; nothing was stored. */
    public static final class Insufficient extends IOException {
        public Insufficient(long wanted, long usable) {
            super("insufficient storage: " + wanted + " bytes wanted, " + usable + " usable with the reserve kept");
        }
    }

    private final FileStore store;
    private final long reserve;

    public DiskSpace(Path dataDirectory, long reserveBytes) {
        try {
            this.store = Files.getFileStore(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot see the file system of " + dataDirectory, e);
        }
        this.reserve = reserveBytes;
    }

    /** Throws {@link Insufficient} unless {@code bytes} (twice over: content and log) fit above the reserve. */
    public void requireRoomFor(long bytes) throws Insufficient {
        long usable;
        try {
            usable = store.getUsableSpace();
        } catch (IOException e) {
            return; // cannot tell: let the write itself decide
        }
        long wanted = 2 * Math.max(bytes, 0) + reserve;
        if (usable < wanted) {
            throw new Insufficient(wanted, usable);
        }
    }
}
