package org.letterbox.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.dkim.DomainKeys;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code letterbox dkim list|rotate|activate DOMAIN}: the DKIM keys a domain signs with. A rotation makes a new pair
 * that signs nothing until activated, so that its DNS records can be published (and have spread) first.
 */
@Command(name = "dkim", description = "DKIM signing keys of a domain.",
    subcommands = {DkimCommands.ListKeys.class, DkimCommands.Rotate.class, DkimCommands.Activate.class})
final class DkimCommands {
    @ParentCommand
    LetterboxCommand root;

    /** A key's TXT record as a zone file line, its text cut into strings of at most 255 characters. */
    static String zoneLine(DomainKeys.Info key) {
        return key.dnsName() + ". IN TXT " + org.letterbox.server.dnssetup.ZoneText.quoted(key.record());
    }

    static void print(PrintWriter out, List<DomainKeys.Info> keys) {
        for (DomainKeys.Info key : keys) {
            out.printf("%s  %s  %s  %s%n", key.selector(), key.algorithm(), key.state(), key.created());
            out.println("  " + zoneLine(key));
        }
    }

    @Command(name = "list", description = "List a domain's keys with their DNS records.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        DkimCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() {
            print(spec.commandLine().getOut(), parent.root.withAdmin(admin -> admin.send(new AdminRequest.DkimKeys(domain))));
            return 0;
        }
    }

    @Command(name = "rotate", description = "Make a new key pair: publish its records, then run dkim activate.")
    static final class Rotate implements Callable<Integer> {
        @ParentCommand
        DkimCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<DomainKeys.Info> made = parent.root.withAdmin(admin -> admin.send(new AdminRequest.DkimRotate(domain)));
            out.println("New keys for " + domain + ", not signing yet. Publish these records:");
            made.forEach(key -> out.println(zoneLine(key)));
            out.println("then, once they are visible in DNS: letterbox dkim activate " + domain);
            return 0;
        }
    }

    @Command(name = "activate", description = "Sign with the pending pair; the keys in use are retired.")
    static final class Activate implements Callable<Integer> {
        @ParentCommand
        DkimCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() {
            int activated = parent.root.withAdmin(admin -> admin.send(new AdminRequest.DkimActivate(domain)));
            spec.commandLine().getOut().println(domain + " now signs with " + activated + " new keys; the old ones are"
                + " kept for verification (leave their records published for a while)");
            return 0;
        }
    }
}
