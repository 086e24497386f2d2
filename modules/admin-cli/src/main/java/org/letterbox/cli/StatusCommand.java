package org.letterbox.cli;

import java.util.concurrent.Callable;

import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox status}: whether the server runs, its listeners, counts, store size and, on PostgreSQL, the live nodes. */
@Command(name = "status", description = "Show whether the server runs, its listeners, counts and store size.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    LetterboxCommand root;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Admin.Status status = root.withAdmin(admin -> admin.send(new AdminRequest.StatusOf()));
        var out = spec.commandLine().getOut();
        out.println(status.running() ? "server: running for " + status.uptimeSeconds() + " s" : "server: not running");
        for (String listener : status.listeners()) {
            out.println("  " + listener);
        }
        out.println("data directory: " + status.dataDirectory() + " (" + Sizes.format(status.storeBytes()) + ")");
        out.printf("domains: %d  users: %d  mailboxes: %d  messages: %d  queued: %d%n", status.domains(), status.users(),
            status.mailboxes(), status.messages(), status.queued());
        if (status.nodes() != null && !status.nodes().isEmpty()) {
            out.println("nodes on the shared store:");
            for (String node : status.nodes()) {
                out.println("  " + node);
            }
        }
        return 0;
    }
}
