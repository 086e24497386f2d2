package org.letterbox.store.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories (0700) and files (0600) only their owner can read, on file systems with POSIX permissions; elsewhere
 * the platform's defaults stay. New files are created with those permissions from the start, never widened first.
 */
public final class OwnerOnly {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dir} (and missing parents) if needed and makes it 0700. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, DIRECTORY);
        return dir;
    }

    /** Makes an existing file 0600. */
    public static Path file(Path file) throws IOException {
        restrict(file, FILE);
        return file;
    }

    /** A new file, 0600 from its creation, open for writing; fails if something (a link too) is already there. */
    public static OutputStream newFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file + " exists; choose a new name");
        }
        return Files.newOutputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Writes {@code bytes} to a new owner-only file. */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = newFile(file)) {
            out.write(bytes);
        }
    }

    /**
     * Checks that {@code path}, once every link is followed, is still inside {@code root}: import and export stay
     * in the tree they were given.
     */
    public static void requireInside(Path root, Path path) throws IOException {
        Path realRoot = root.toRealPath();
        Path real = path.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new IOException(path + " leads out of " + root + " (through a symbolic link); refused");
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing to narrow
        }
    }
}
