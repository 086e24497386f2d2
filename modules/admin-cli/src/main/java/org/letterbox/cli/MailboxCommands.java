package org.letterbox.cli;

import java.util.concurrent.Callable;

import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code letterbox mailbox list ADDRESS}. */
@Command(name = "mailbox", description = "Look at a user's mailboxes.", subcommands = MailboxCommands.ListMailboxes.class)
final class MailboxCommands {
    @ParentCommand
    LetterboxCommand root;

    @Command(name = "list", description = "List a user's mailboxes with their message and unseen counts.")
    static final class ListMailboxes implements Callable<Integer> {
        @ParentCommand
        MailboxCommands parent;
        @Parameters(paramLabel = "ADDRESS")
        String address;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            out.printf("%-30s %10s %10s%n", "MAILBOX", "MESSAGES", "UNSEEN");
            for (Admin.MailboxInfo mailbox : parent.root.withAdmin(admin -> admin.send(new AdminRequest.Mailboxes(address)))) {
                out.printf("%-30s %10d %10d%n", mailbox.name(), mailbox.messages(), mailbox.unseen());
            }
            return 0;
        }
    }
}
