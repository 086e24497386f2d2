package org.letterbox.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox queue ...}: mail waiting to go to other servers, and what to do about it by hand. */
@Command(name = "queue", description = "Look at and act on the outbound queue.",
    subcommands = {QueueCommands.ListQueue.class, QueueCommands.Show.class, QueueCommands.Retry.class,
        QueueCommands.Hold.class, QueueCommands.Release.class, QueueCommands.Drop.class, QueueCommands.Bounce.class,
        QueueCommands.Pause.class, QueueCommands.Resume.class})
final class QueueCommands {
    @ParentCommand
    LetterboxCommand root;

    @Command(name = "list", description = "List the recipients waiting for delivery to other servers.")
    static final class ListQueue implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Option(names = "--json", description = "one JSON array, for scripts")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<Admin.QueueEntry> entries = parent.root.withAdmin(admin -> admin.send(new AdminRequest.Queue()));
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(entries));
                return 0;
            }
            for (Admin.QueueEntry entry : entries) {
                out.printf("%d  <%s> -> <%s>  %s  attempts=%d  next=%s%s%s%n", entry.id(), entry.sender(),
                    entry.recipient(), Sizes.format(entry.size()), entry.attempts(), entry.nextAttempt(),
                    entry.held() ? "  HELD" : "", entry.lastError() == null ? "" : "  last error: " + entry.lastError());
            }
            out.println(entries.size() + " queued");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one queued recipient in full, with the message's headers.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "queue id (from queue list)")
        long id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Admin.QueueDetail detail = parent.root.withAdmin(admin -> admin.send(new AdminRequest.QueueShow(id)));
            Admin.QueueEntry entry = detail.entry();
            out.printf("id:            %d%n", entry.id());
            out.printf("sender:        <%s>%n", entry.sender());
            out.printf("recipient:     <%s>%n", entry.recipient());
            out.printf("size:          %s%n", Sizes.format(entry.size()));
            out.printf("queued:        %s%n", entry.created());
            out.printf("attempts:      %d%n", entry.attempts());
            out.printf("last attempt:  %s%n", detail.lastAttempt() == null ? "-" : detail.lastAttempt());
            out.printf("next attempt:  %s%s%n", entry.nextAttempt(), entry.held() ? " (held)" : "");
            out.printf("last error:    %s%n", entry.lastError() == null ? "-" : entry.lastError());
            out.printf("delay notice:  %s%n", detail.delayNotified() ? "sent" : "not sent");
            out.printf("dsn:           notify=%s orcpt=%s envid=%s ret=%s%n", dash(detail.notifyOn()),
                dash(detail.originalRecipient()), dash(detail.envelopeId()), dash(detail.returnContent()));
            out.println();
            out.print(detail.headers().replace("\r\n", "\n"));
            return 0;
        }

        private static String dash(String value) {
            return value == null ? "-" : value;
        }
    }

    /** The common shape of retry, hold and release: one id, or --all. */
    abstract static class OneOrAll implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", description = "queue id (from queue list)")
        Long id;
        @CommandLine.Option(names = "--all", description = "every entry")
        boolean all;

        abstract AdminRequest<Integer> request(Long id);

        abstract String done();

        @Override
        public Integer call() {
            if ((id == null) == !all) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give a queue id or --all");
            }
            int changed = parent.root.withAdmin(admin -> admin.send(request(id)));
            spec.commandLine().getOut().println(changed + " " + done());
            return 0;
        }
    }

    @Command(name = "retry", description = "Try an entry (or --all) now instead of at its next attempt.")
    static final class Retry extends OneOrAll {
        AdminRequest<Integer> request(Long id) {
            return new AdminRequest.QueueRetry(id);
        }

        String done() {
            return "due now";
        }
    }

    @Command(name = "hold", description = "Stop trying an entry (or --all) until it is released.")
    static final class Hold extends OneOrAll {
        AdminRequest<Integer> request(Long id) {
            return new AdminRequest.QueueHold(id);
        }

        String done() {
            return "held";
        }
    }

    @Command(name = "release", description = "Release a held entry (or --all); it is tried at once.")
    static final class Release extends OneOrAll {
        AdminRequest<Integer> request(Long id) {
            return new AdminRequest.QueueRelease(id);
        }

        String done() {
            return "released";
        }
    }

    @Command(name = "drop", description = "Remove an entry without telling the sender.")
    static final class Drop implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "queue id (from queue list)")
        long id;

        @Override
        public Integer call() {
            parent.root.withAdmin(admin -> admin.send(new AdminRequest.QueueDrop(id)));
            spec.commandLine().getOut().println("dropped " + id);
            return 0;
        }
    }

    @Command(name = "bounce", description = "Give up on an entry now; its sender gets a bounce.")
    static final class Bounce implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "queue id (from queue list)")
        long id;

        @Override
        public Integer call() {
            parent.root.withAdmin(admin -> admin.send(new AdminRequest.QueueBounce(id)));
            spec.commandLine().getOut().println("bounced " + id);
            return 0;
        }
    }

    @Command(name = "pause", description = "Stop sending (deliveries under way finish); new mail stays queued. Until resume or a restart.")
    static final class Pause implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            parent.root.withAdmin(admin -> admin.send(new AdminRequest.QueuePause(true)));
            spec.commandLine().getOut().println("delivery paused");
            return 0;
        }
    }

    @Command(name = "resume", description = "Start sending again after pause.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand
        QueueCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            parent.root.withAdmin(admin -> admin.send(new AdminRequest.QueuePause(false)));
            spec.commandLine().getOut().println("delivery resumed");
            return 0;
        }
    }
}
