package org.letterbox.server.dnssetup;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.letterbox.server.config.ServerConfig;

/**
 * This server as DNS describes it: its host name, the public addresses it receives and sends mail on, the client
 * services it offers (for the SRV records of RFC 6186 and RFC 8314), and what in its configuration keeps other
 * servers or clients from reaching it.
 *
 * @param hostname the name in MX records, greetings and certificates, lower case
 * @param addresses public addresses of the host; empty when not known
 * @param services one entry per SRV service label, offered or not
 * @param warnings listeners other servers or clients cannot reach as configured
 * @param mtaStsMode the mode of the MTA-STS policy the web listener serves: enforce or testing
 */
public record MailHost(String hostname, List<InetAddress> addresses, List<Service> services, List<String> warnings,
                       String mtaStsMode) {

    /**
     * One SRV service.
     *
     * @param label {@code _imaps}, {@code _imap}, {@code _submissions}, {@code _submission}, {@code _pop3s}, {@code _pop3}
     * @param port where it listens; 0 when it is not offered (published as {@code 0 0 0 .}, RFC 6186 §3.4)
     */
    public record Service(String label, int port) {
        public boolean offered() {
            return port > 0;
        }
    }

    public MailHost {
        hostname = hostname.toLowerCase(Locale.ROOT);
        addresses = List.copyOf(addresses);
        services = List.copyOf(services);
        warnings = List.copyOf(warnings);
    }

    /**
     * The host as {@code config} sets it up, at the {@code given} addresses; none given: those of
     * {@code delivery.sourceAddresses}, else the ones this machine sends from, when they are public.
     */
    public static MailHost of(ServerConfig config, List<String> given) {
        PublicAddresses.Found found = PublicAddresses.of(given, config.delivery().sourceAddresses());
        List<InetAddress> addresses = found.addresses();
        List<Service> services = new ArrayList<>();
        List<String> warnings = new ArrayList<>(found.warnings());
        pair(services, "_imaps", config.imap().imaps(), "_imap", config.imap().imap());
        pair(services, "_submissions", config.smtp().submissions(), "_submission", config.smtp().submission());
        pair(services, "_pop3s", config.pop3().pop3s(), "_pop3", config.pop3().pop3());
        ServerConfig.Listener mx = config.smtp().mx();
        if (!mx.enabled()) {
            warnings.add("smtp.mx is off: no mail from other servers arrives here");
        } else {
            if (isLoopback(mx.address())) {
                warnings.add("smtp.mx listens on " + mx.address() + " only: other servers cannot reach it (set its"
                    + " address to 0.0.0.0, or run letterbox setup for a public configuration)");
            }
            if (mx.port() != 25) {
                warnings.add("smtp.mx listens on port " + mx.port() + ": other servers deliver to port 25 only");
            }
        }
        for (ServerConfig.Listener client : List.of(config.imap().imaps(), config.smtp().submissions(), config.pop3().pop3s())) {
            if (client.enabled() && isLoopback(client.address())) {
                warnings.add("client listeners listen on " + client.address() + " only: clients elsewhere cannot reach"
                    + " them (set their address to 0.0.0.0)");
                break;
            }
        }
        String hostname = config.hostname();
        if (!hostname.contains(".") || hostname.equalsIgnoreCase("localhost")) {
            warnings.add("hostname is '" + hostname + "': set it to the server's public name (such as mail.example.com)");
        }
        if (!config.web().https().enabled() || config.web().https().port() != 443) {
            warnings.add("web.https " + (config.web().https().enabled() ? "listens on port " + config.web().https().port()
                : "is off") + ": clients look for autoconfig and the MTA-STS policy on port 443");
        }
        return new MailHost(hostname, addresses, services, warnings, config.web().mtaStsMode());
    }

    private static void pair(List<Service> services, String implicitLabel, ServerConfig.Listener implicit,
                             String startTlsLabel, ServerConfig.Listener startTls) {
        if (implicit.enabled()) {
            services.add(new Service(implicitLabel, implicit.port()));
            services.add(new Service(startTlsLabel, 0));
        } else if (startTls.enabled()) {
            services.add(new Service(implicitLabel, 0));
            services.add(new Service(startTlsLabel, startTls.port()));
        } else {
            services.add(new Service(implicitLabel, 0));
            services.add(new Service(startTlsLabel, 0));
        }
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("::1") || address.equalsIgnoreCase("localhost");
    }
}
