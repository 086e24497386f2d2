package org.letterbox.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox queue list}: mail waiting to go to other servers. */
@Command(name = "queue", description = "Look at the outbound queue.", subcommands = QueueCommands.ListQueue.class)
final class QueueCommands {
    @ParentCommand
    LetterboxCommand root;

    @Command(name = "list", description = "List the messages waiting for delivery to other servers.")
    static final class ListQueue implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            List<Admin.QueueEntry> entries = parent.root.withAdmin(admin -> admin.send(new AdminRequest.Queue()));
            for (Admin.QueueEntry entry : entries) {
                out.printf("%d  %s  <%s> -> <%s>  attempts=%d%s%n", entry.id(), entry.created(), entry.sender(),
                    entry.recipient(), entry.attempts(), entry.lastError() == null ? "" : "  last error: " + entry.lastError());
            }
            out.println(entries.size() + " queued");
            return 0;
        }
    }
}
