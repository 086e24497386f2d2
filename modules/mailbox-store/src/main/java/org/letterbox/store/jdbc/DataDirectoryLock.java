package org.letterbox.store.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code letterbox.lock} in the data directory, held while a store is open, so that a second
 * server (or a CLI opening the store directly) on the same directory is refused with a clear message instead of
 * racing the first one. The operating system drops the lock when the process dies, even on {@code kill -9}.
 */
final class DataDirectoryLock {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve("letterbox.lock");
        FileChannel channel;
        try {
            // mail and password hashes live here: nobody but the server's user may even list it
            org.letterbox.store.files.OwnerOnly.directory(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            throw new StoreException("the store in " + dataDir.toAbsolutePath()
                + " is already in use by another process (is another Letterbox running on this data directory?)");
        }
        return new DataDirectoryLock(channel, lock);
    }

    void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
    }
}
