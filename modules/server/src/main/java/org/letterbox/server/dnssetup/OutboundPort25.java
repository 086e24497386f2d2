package org.letterbox.server.dnssetup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.IpPreference;
import org.letterbox.dns.MxAnswer;

/**
 * Whether this machine can open SMTP connections to other servers: a connection to a well-known domain's MX, which
 * must greet with 220. Many hosting providers block outbound port 25 until asked; mail then has to leave through a
 * relay.
 *
 * @param probeDomain whose MX is tried (gmail.com unless told otherwise)
 * @param port the MX port: 25 ({@code delivery.mxPort}, other values only in tests)
 * @param timeout for the connection and the greeting together
 */
public record OutboundPort25(String probeDomain, int port, Duration timeout) {

    public static final String DEFAULT_PROBE_DOMAIN = "gmail.com";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The probe's finding; the smarthost, when mail goes through one, makes port 25 unnecessary. */
    DnsFinding check(Dns dns) {
        String name = "outbound port " + port;
        MxAnswer mx = dns.mx(probeDomain);
        if (!(mx instanceof MxAnswer.Hosts hosts) || hosts.hosts().isEmpty()) {
            return new DnsFinding(name, DnsFinding.Status.UNKNOWN, "no MX found for " + probeDomain + " to try", "");
        }
        String host = hosts.hosts().get(0).name();
        if (!(dns.addresses(host, IpPreference.PREFER_IPV4) instanceof DnsAnswer.Found<InetAddress> addresses)) {
            return new DnsFinding(name, DnsFinding.Status.UNKNOWN, "no address found for " + host, "");
        }
        InetSocketAddress target = new InetSocketAddress(addresses.values().get(0), port);
        try (Socket socket = new Socket()) {
            socket.connect(target, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] greeting = new byte[3];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(greeting, 0, 3);
            String code = new String(greeting, 0, read, StandardCharsets.US_ASCII);
            socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            if (code.equals("220")) {
                return DnsFinding.ok(name, host + " (" + probeDomain + "'s MX) greeted this machine");
            }
            return new DnsFinding(name, DnsFinding.Status.WRONG, host + " answered '" + code + "' instead of a 220 greeting",
                "if this persists, send through a relay: delivery.smarthost (docs/operations.md)");
        } catch (IOException e) {
            return new DnsFinding(name, DnsFinding.Status.WRONG, "cannot reach " + host + " (" + target + "): "
                + e.getMessage() + "; outbound port " + port + " seems blocked",
                "ask your provider to open outbound port 25, or send through a relay: delivery.smarthost (docs/operations.md)");
        }
    }
}
