package org.letterbox.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.server.web.WebWiring;
import org.letterbox.web.ClientEndpoint;
import org.letterbox.web.ClientSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code letterbox clients ADDRESS}: what to type into a mail client that cannot set itself up, the same settings
 * the web listener gives the clients that can, and where those ask.
 */
@Command(name = "clients", description = "Print the settings a mail client needs for ADDRESS, and the autoconfig URLs.")
final class ClientsCommand implements Callable<Integer> {

    @ParentCommand
    LetterboxCommand root;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig config = root.loadConfig();
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not an address");
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!root.withAdmin(admin -> admin.send(new AdminRequest.Domains())).contains(domain)) {
            throw new IllegalArgumentException(domain + " is not a domain of this server (letterbox domain add " + domain + ")");
        }
        ClientSettings settings = WebWiring.clientSettings(config);
        out.println("Mail settings for " + address);
        out.println("User name: " + address + " (the whole address); password: yours; authentication: normal password");
        out.println();
        print(out, "Incoming (IMAP)", settings, ClientEndpoint.Protocol.IMAP);
        print(out, "Incoming (POP3)", settings, ClientEndpoint.Protocol.POP3);
        print(out, "Outgoing (SMTP)", settings, ClientEndpoint.Protocol.SMTP);
        out.println();
        String encoded = URLEncoder.encode(address, StandardCharsets.UTF_8);
        if (config.web().https().enabled()) {
            out.println("Clients that set themselves up ask these (try them in a browser):");
            out.println("  https://autoconfig." + domain + "/mail/config-v1.1.xml?emailaddress=" + encoded + "   (Thunderbird)");
            out.println("  https://" + domain + "/.well-known/autoconfig/mail/config-v1.1.xml   (Thunderbird)");
            out.println("  https://autodiscover." + domain + "/autodiscover/autodiscover.xml   (Outlook; POST only)");
            out.println("  https://" + config.hostname() + "/apple/profile?emailaddress=" + encoded + "   (iPhone, iPad, Mac)");
            if (config.web().https().port() != 443) {
                out.println("Note: web.https listens on port " + config.web().https().port() + "; clients ask on port 443.");
            }
        } else {
            out.println("web.https is off: clients cannot set themselves up; type the settings above.");
        }
        return 0;
    }

    private static void print(PrintWriter out, String label, ClientSettings settings, ClientEndpoint.Protocol protocol) {
        boolean first = true;
        for (ClientEndpoint endpoint : settings.of(protocol)) {
            out.printf("%-17s %s  port %d  %s%n", first ? label + ":" : "  or", settings.hostname(), endpoint.port(),
                endpoint.security() == ClientEndpoint.Security.IMPLICIT_TLS ? "SSL/TLS" : "STARTTLS");
            first = false;
        }
    }
}
