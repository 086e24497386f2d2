package org.letterbox.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.letterbox.cli.transfer.Maildir;
import org.letterbox.cli.transfer.Mbox;
import org.letterbox.cli.transfer.Progress;
import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.admin.Admin.TransferMessage;
import org.letterbox.store.files.OwnerOnly;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox import|export mbox|maildir ADDRESS PATH}. */
final class TransferCommands {

    /** Messages per request to the server, and the bytes after which a batch is sent early. */
    static final int BATCH = 200;
    static final long BATCH_BYTES = 8L * 1024 * 1024;

    private TransferCommands() {
    }

    enum Format { mbox, maildir }

    @Command(name = "import", description = "Import an mbox file or a Maildir into a user's mailbox.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        LetterboxCommand root;
        @Parameters(index = "0", paramLabel = "FORMAT", description = "mbox or maildir")
        Format format;
        @Parameters(index = "1", paramLabel = "ADDRESS")
        String address;
        @Parameters(index = "2", paramLabel = "PATH")
        Path path;
        @Option(names = "--mailbox", description = "target mailbox, created if missing (default: ${DEFAULT-VALUE})",
            defaultValue = "INBOX")
        String mailbox;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException(path + ": no such file or directory");
            }
            int total = format == Format.mbox ? Mbox.count(path) : Maildir.count(path);
            Progress progress = new Progress(spec.commandLine().getErr(), "importing", total);
            int stored = root.withAdmin(admin -> {
                int[] count = {0};
                List<TransferMessage> batch = new ArrayList<>();
                long[] batchBytes = {0};
                try {
                    java.util.function.Consumer<TransferMessage> sink = message -> {
                        batch.add(message);
                        batchBytes[0] += message.content().length;
                        if (batch.size() >= BATCH || batchBytes[0] >= BATCH_BYTES) {
                            count[0] += send(admin, batch, progress);
                            batchBytes[0] = 0;
                        }
                    };
                    if (format == Format.mbox) {
                        Mbox.read(path, sink);
                    } else {
                        Maildir.read(path, sink);
                    }
                    count[0] += send(admin, batch, progress);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return count[0];
            });
            progress.finish();
            spec.commandLine().getOut().println(stored + " messages imported into " + address + " " + mailbox);
            return 0;
        }

        private int send(Admin admin, List<TransferMessage> batch, Progress progress) {
            if (batch.isEmpty()) {
                return 0;
            }
            int stored = admin.send(new AdminRequest.ImportMessages(address, mailbox, List.copyOf(batch)));
            progress.advance(batch.size());
            batch.clear();
            return stored;
        }
    }

    @Command(name = "export", description = "Export a user's mailbox to an mbox file or a Maildir.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        LetterboxCommand root;
        @Parameters(index = "0", paramLabel = "FORMAT", description = "mbox or maildir")
        Format format;
        @Parameters(index = "1", paramLabel = "ADDRESS")
        String address;
        @Parameters(index = "2", paramLabel = "PATH")
        Path path;
        @Option(names = "--mailbox", description = "mailbox to export (default: ${DEFAULT-VALUE})", defaultValue = "INBOX")
        String mailbox;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (format == Format.mbox && Files.exists(path)) {
                throw new IllegalArgumentException(path + " exists; choose a new file");
            }
            int written = root.withAdmin(admin -> {
                int total = admin.send(new AdminRequest.Mailboxes(address)).stream().filter(m -> m.name().equals(mailbox))
                    .mapToInt(m -> (int) m.messages()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(address + " has no mailbox " + mailbox));
                Progress progress = new Progress(spec.commandLine().getErr(), "exporting", total);
                int count = 0;
                try (OutputStream out = format == Format.mbox ? new BufferedOutputStream(OwnerOnly.newFile(path), 1 << 16) : null) {
                    if (format == Format.maildir) {
                        Maildir.create(path);
                    }
                    long after = 0;
                    while (true) {
                        List<TransferMessage> page = admin.send(new AdminRequest.ExportMessages(address, mailbox, after, BATCH));
                        if (page.isEmpty()) {
                            break;
                        }
                        for (TransferMessage message : page) {
                            if (format == Format.mbox) {
                                Mbox.write(out, message);
                            } else {
                                Maildir.write(path, message, count);
                            }
                            count++;
                            after = message.uid();
                        }
                        progress.advance(page.size());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.finish();
                return count;
            });
            spec.commandLine().getOut().println(written + " messages exported from " + address + " " + mailbox + " to " + path);
            return 0;
        }
    }
}
