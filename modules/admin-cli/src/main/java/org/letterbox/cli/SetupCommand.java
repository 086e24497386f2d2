package org.letterbox.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.server.dnssetup.DnsPlan;
import org.letterbox.server.dnssetup.DnsReport;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code letterbox setup}: a production installation in one step. It writes a configuration with public listeners
 * on the standard ports (web included) and ACME certificates unless a certificate is given or certbot's is there, makes the first domain (with its DKIM keys), its first user with a generated password
 * printed once, and {@code postmaster@} for the reports DNS asks for; then prints the DNS records, checks what it
 * can, and prints the systemd commands. Run again, it changes nothing it has not asked about.
 */
@Command(name = "setup", description = "Set up a production server: configuration, first domain and user, DNS records.")
final class SetupCommand implements Callable<Integer> {

    /** Where certbot keeps a host's certificate: used when it is there. */
    static final String CERTBOT_LIVE = "/etc/letsencrypt/live/";
    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    @ParentCommand
    LetterboxCommand root;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--hostname", paramLabel = "NAME", description = "the server's public name, such as mail.example.com")
    String hostname;
    @Option(names = "--domain", paramLabel = "DOMAIN", description = "the first mail domain, such as example.com")
    String domain;
    @Option(names = "--user", paramLabel = "ADDRESS", description = "the first user's address, such as you@example.com")
    String user;
    @Option(names = "--address", paramLabel = "IP", description = "a public address of this server (repeatable;"
        + " default: the one this machine sends from, when public)")
    List<String> addresses = new ArrayList<>();
    @Option(names = "--certificate", paramLabel = "PEM", description = "certificate chain (default: certbot's for the"
        + " host name when present, else certificates from Let's Encrypt by ACME)")
    String certificate;
    @Option(names = "--private-key", paramLabel = "PEM", description = "its private key")
    String privateKey;
    @Option(names = "--yes", description = "answer yes to every question (replace a different configuration)")
    boolean yes;
    @Option(names = "--no-check", description = "do not check the live DNS and outbound port 25")
    boolean noCheck;

    private BufferedReader input;
    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        hostname = lower(ask(hostname, "Host name of this server (as in its MX record, e.g. mail.example.com)"));
        domain = lower(ask(domain, "First mail domain (e.g. example.com)"));
        user = lower(ask(user, "First address (e.g. you@" + domain + ")"));
        if (!hostname.contains(".") || !domain.contains(".")) {
            throw new IllegalArgumentException("the host name and the domain must be full DNS names, such as mail.example.com");
        }
        if (!user.endsWith("@" + domain)) {
            throw new IllegalArgumentException("the first address must be in " + domain + ", not " + user);
        }
        for (String address : addresses) {
            if (!address.matches("[0-9a-fA-F:.]+") || !(address.contains(".") || address.contains(":"))) {
                throw new IllegalArgumentException("'" + address + "' is not an IP address");
            }
        }

        writeConfiguration();
        ServerConfig config = root.loadConfig();
        root.withAdmin(admin -> {
            accounts(admin);
            return null;
        });
        DnsPlan plan = root.withAdmin(admin -> admin.send(new AdminRequest.DnsRecords(domain, addresses)));
        out.println();
        out.println("== DNS: publish these records (letterbox dns records " + domain + " prints them again)");
        DnsCommands.printZone(out, plan, config.hostname());
        if (!noCheck) {
            out.println();
            out.println("== DNS as it is now (letterbox dns check " + domain + " runs this again)");
            DnsReport report = root.withAdmin(admin -> admin.send(new AdminRequest.DnsCheck(domain, addresses, null)));
            DnsCommands.printReport(out, report);
        }
        out.println();
        out.println("== Run it as a service");
        out.println("sudo useradd --system --home-dir /opt/letterbox --shell /usr/sbin/nologin letterbox");
        out.println("sudo chown -R letterbox: /opt/letterbox/data /opt/letterbox/conf");
        out.println("sudo cp /opt/letterbox/systemd/letterbox.service /etc/systemd/system/");
        out.println("sudo systemctl daemon-reload && sudo systemctl enable --now letterbox");
        out.println("journalctl -u letterbox -f    # its log; 'letterbox status' once it runs");
        return 0;
    }

    private static String lower(String text) {
        return text.trim().toLowerCase(Locale.ROOT);
    }

    /** {@code given}, or a line from standard input after {@code question}. */
    private String ask(String given, String question) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        out.print(question + ": ");
        out.flush();
        String line = readLine();
        if (line == null || line.isBlank()) {
            throw new IllegalArgumentException("no answer to '" + question + "' (options: letterbox setup --help)");
        }
        return line;
    }

    private boolean confirm(String question) {
        if (yes) {
            out.println(question + " [y/N] yes (--yes)");
            return true;
        }
        out.print(question + " [y/N] ");
        out.flush();
        String line = readLine();
        out.println();
        return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
    }

    private String readLine() {
        try {
            return input.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the production configuration, unless one is there that differs and the owner says no. */
    private void writeConfiguration() {
        Path file = root.config;
        String dataDirectory = "./data";
        String text;
        try {
            if (Files.exists(file)) {
                dataDirectory = new ConfigLoader().load(file).dataDirectory();
            }
            text = configuration(dataDirectory);
            if (Files.exists(file)) {
                String old = Files.readString(file, StandardCharsets.UTF_8);
                if (old.equals(text)) {
                    out.println("configuration " + file + ": unchanged");
                    return;
                }
                if (!confirm(file + " exists and differs from a production configuration for " + hostname
                        + ". Replace it (the old one is kept as " + file.getFileName() + ".bak)?")) {
                    out.println("configuration " + file + ": kept as it is");
                    return;
                }
                Files.copy(file, file.resolveSibling(file.getFileName() + ".bak"), StandardCopyOption.REPLACE_EXISTING);
            } else if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            new ConfigLoader().load(temporary);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println("configuration " + file + ": written for " + hostname);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A production configuration: every listener public on its standard port, delivery from the given addresses. */
    String configuration(String dataDirectory) {
        String chain = certificate;
        String key = privateKey;
        if (chain == null && Files.isReadable(Path.of(CERTBOT_LIVE, hostname, "fullchain.pem"))) {
            chain = CERTBOT_LIVE + hostname + "/fullchain.pem";
            key = CERTBOT_LIVE + hostname + "/privkey.pem";
        }
        if ((chain == null) != (key == null)) {
            throw new IllegalArgumentException("--certificate and --private-key go together");
        }
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Letterbox, production configuration written by letterbox setup for ").append(hostname).append(".\n")
            .append("# docs/configuration.md lists every key with its default.\n\n")
            .append("hostname: ").append(hostname).append("\n")
            .append("dataDirectory: ").append(yamlString(dataDirectory)).append("\n\n");
        if (chain != null) {
            yaml.append("# Reloaded without a restart when renewed.\n")
                .append("tls:\n  certificate: ").append(yamlString(chain)).append("\n  privateKey: ").append(yamlString(key)).append("\n\n");
        } else {
            yaml.append("# Certificates from Let's Encrypt, renewed by themselves (http-01 on port 80); a self-signed one serves\n")
                .append("# until the first arrives. To use certbot's instead, remove this and set tls.certificate/privateKey.\n")
                .append("acme:\n  enabled: true\n  email: ").append(yamlString(user)).append("\n\n");
        }
        yaml.append("# Every listener on every IPv4 address (\"::\" for IPv6 as well), on the standard ports.\n")
            .append("smtp:\n")
            .append("  mx:          { address: 0.0.0.0, port: 25, tls: starttls }\n")
            .append("  submission:  { address: 0.0.0.0, port: 587, tls: starttls }\n")
            .append("  submissions: { address: 0.0.0.0, port: 465, tls: implicit }\n")
            .append("imap:\n")
            .append("  imap:  { address: 0.0.0.0, port: 143, tls: starttls }\n")
            .append("  imaps: { address: 0.0.0.0, port: 993, tls: implicit }\n")
            .append("pop3:\n")
            .append("  pop3:  { address: 0.0.0.0, port: 110, tls: starttls }\n")
            .append("  pop3s: { address: 0.0.0.0, port: 995, tls: implicit }\n")
            .append("# Client autoconfiguration and the MTA-STS policy over HTTPS; ACME challenges and redirects over HTTP.\n")
            .append("web:\n")
            .append("  https: { address: 0.0.0.0, port: 443 }\n")
            .append("  http:  { address: 0.0.0.0, port: 80 }\n");
        if (!addresses.isEmpty()) {
            yaml.append("\n# The addresses mail leaves from: the ones SPF and reverse DNS are checked for.\n")
                .append("delivery:\n  sourceAddresses: [");
            for (int i = 0; i < addresses.size(); i++) {
                yaml.append(i == 0 ? "" : ", ").append(yamlString(addresses.get(i)));
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The domain, the user and postmaster@, each made only when missing. */
    private void accounts(Admin admin) {
        if (admin.send(new AdminRequest.Domains()).contains(domain)) {
            out.println("domain " + domain + ": already there");
        } else {
            admin.send(new AdminRequest.AddDomain(domain));
            out.println("domain " + domain + ": added, with its DKIM keys");
        }
        if (admin.send(new AdminRequest.Users()).contains(user)) {
            out.println("user " + user + ": already there, password unchanged");
        } else {
            String password = password();
            admin.send(new AdminRequest.AddUser(user, password));
            out.println("user " + user + ": added; password (shown this once): " + password);
        }
        String postmaster = "postmaster@" + domain;
        boolean routed = admin.send(new AdminRequest.Users()).contains(postmaster)
            || admin.send(new AdminRequest.Aliases()).stream().anyMatch(alias -> alias.source().equalsIgnoreCase(postmaster));
        if (routed) {
            out.println("postmaster " + postmaster + ": already delivers");
        } else {
            admin.send(new AdminRequest.AddAlias(postmaster, user));
            out.println("postmaster " + postmaster + ": alias to " + user + " (DMARC and TLS reports arrive there)");
        }
    }

    /** 24 characters from 32 unambiguous ones, in groups of four: 120 bits. */
    static String password() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            if (i > 0 && i % 4 == 0) {
                password.append('-');
            }
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
