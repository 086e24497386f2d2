package org.letterbox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A size-limited tmpfs mounted for one test, for running a store out of disk space. Mounting needs root (or
 * CAP_SYS_ADMIN); {@link #mount} says why it could not, so that the test can skip with that reason.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path root;

    private SmallFileSystem(Path root) {
        this.root = root;
    }

    /** What was refused, or null when {@code command} succeeded. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return process.waitFor() == 0 ? null : (output.isEmpty() ? "exit " + process.exitValue() : output);
    }

    /** Mounts a tmpfs of {@code megabytes}; the reason when it cannot be done, as the exception's message. */
    public static SmallFileSystem mount(int megabytes) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("letterbox-small-fs");
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", root.toString());
        if (failure != null) {
            Files.deleteIfExists(root);
            throw new IOException("cannot mount a " + megabytes + " MB tmpfs here (needs root): " + failure);
        }
        return new SmallFileSystem(root);
    }

    /** {@link #mount}, or the calling test skipped with the reason it cannot be done here. */
    public static SmallFileSystem mountOrSkip(int megabytes) throws IOException, InterruptedException {
        try {
            return mount(megabytes);
        } catch (IOException cannot) {
            org.junit.jupiter.api.Assumptions.abort(cannot.getMessage());
            throw cannot;
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", root.toString());
        Files.deleteIfExists(root);
    }
}
