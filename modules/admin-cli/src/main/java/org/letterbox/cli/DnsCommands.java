package org.letterbox.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.dnssetup.DnsFinding;
import org.letterbox.server.dnssetup.DnsPlan;
import org.letterbox.server.dnssetup.DnsRecord;
import org.letterbox.server.dnssetup.DnsReport;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code letterbox dns records|check DOMAIN}: the records a domain needs, as a zone snippet to paste, and a check
 * of the live DNS against them.
 */
@Command(name = "dns", description = "The DNS records a domain needs, and a check of the live DNS.",
    subcommands = {DnsCommands.Records.class, DnsCommands.Check.class})
final class DnsCommands {
    @ParentCommand
    LetterboxCommand root;

    /** Exit code of {@code dns check} when something is missing or wrong. */
    static final int NEEDS_WORK = 1;

    /** The plan as a zone file snippet: a comment line before each record, the notes as comments at the end. */
    static void printZone(PrintWriter out, DnsPlan plan, String hostname) {
        out.println("; DNS records for " + plan.domain() + ", served by " + hostname);
        out.println("; Names are absolute (they end with a dot): paste them into the zone as they are.");
        for (DnsRecord record : plan.records()) {
            out.println();
            out.println("; " + record.comment());
            out.println(record.zoneLine());
        }
        out.println();
        for (String note : plan.notes()) {
            String[] lines = note.split("\n");
            out.println("; * " + lines[0]);
            for (int i = 1; i < lines.length; i++) {
                out.println(";     " + lines[i]);
            }
        }
    }

    /** Each finding on a line, its fix indented below it. */
    static void printReport(PrintWriter out, DnsReport report) {
        for (DnsFinding finding : report.findings()) {
            out.printf("%-8s %s: %s%n", finding.status(), finding.check(), finding.detail());
            if (!finding.fix().isEmpty()) {
                for (String line : finding.fix().split("\n")) {
                    out.println("         " + line);
                }
            }
        }
        long needsWork = report.findings().stream().filter(finding -> finding.status().needsWork()).count();
        out.println(needsWork == 0 ? "All records of " + report.domain() + " are in place."
            : needsWork + " to fix for " + report.domain() + "; DNS changes can take as long as their TTL to be seen.");
    }

    @Command(name = "records", description = "Print the records DOMAIN needs, as a zone snippet to paste.")
    static final class Records implements Callable<Integer> {
        @ParentCommand
        DnsCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DOMAIN")
        String domain;
        @Option(names = "--address", paramLabel = "IP", description = "a public address of this server"
            + " (default: delivery.sourceAddresses, else the one this machine sends from, when public)")
        List<String> addresses = new ArrayList<>();

        @Override
        public Integer call() {
            DnsPlan plan = parent.root.withAdmin(admin -> admin.send(new AdminRequest.DnsRecords(domain, addresses)));
            printZone(spec.commandLine().getOut(), plan, parent.root.loadConfig().hostname());
            return 0;
        }
    }

    @Command(name = "check", description = "Check DOMAIN's live DNS and outbound port 25; exit code 1 when"
        + " something is missing or wrong.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        DnsCommands parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DOMAIN")
        String domain;
        @Option(names = "--address", paramLabel = "IP", description = "a public address of this server"
            + " (default: delivery.sourceAddresses, else the one this machine sends from, when public)")
        List<String> addresses = new ArrayList<>();
        @Option(names = "--probe-domain", paramLabel = "DOMAIN", description = "whose MX the outbound port 25 test"
            + " connects to (default: gmail.com)")
        String probeDomain;

        @Override
        public Integer call() {
            DnsReport report = parent.root.withAdmin(admin -> admin.send(new AdminRequest.DnsCheck(domain, addresses, probeDomain)));
            printReport(spec.commandLine().getOut(), report);
            return report.allOk() ? 0 : NEEDS_WORK;
        }
    }
}
