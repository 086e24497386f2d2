package org.letterbox.server.dnssetup;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses this server sends mail from, as other servers see them: given by the owner ({@code --address}),
 * else {@code delivery.sourceAddresses}, else the addresses the routing table picks for the internet (found by
 * pointing a UDP socket at a root name server; nothing is sent). A private address found that way means the host
 * sits behind NAT, and its public address must be given.
 */
final class PublicAddresses {

    /** a.root-servers.net, over IPv4 and IPv6: any public destination would do. */
    private static final List<InetSocketAddress> ROUTE_PROBES = List.of(
        new InetSocketAddress(literal("198.41.0.4"), 53), new InetSocketAddress(literal("2001:503:ba3e::2:30"), 53));

    private PublicAddresses() {
    }

    /** What the addresses are, and a warning when they cannot be known. */
    record Found(List<InetAddress> addresses, List<String> warnings) {
    }

    static Found of(List<String> given, List<String> sourceAddresses) {
        if (!given.isEmpty()) {
            return new Found(given.stream().map(PublicAddresses::parse).toList(), List.of());
        }
        if (!sourceAddresses.isEmpty()) {
            return new Found(sourceAddresses.stream().map(PublicAddresses::parse).toList(), List.of());
        }
        List<InetAddress> found = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (InetSocketAddress probe : ROUTE_PROBES) {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.connect(probe);
                InetAddress local = socket.getLocalAddress();
                if (local.isAnyLocalAddress() || local.isLoopbackAddress() || local.isLinkLocalAddress()) {
                    continue;
                }
                if (local.isSiteLocalAddress() || isUniqueLocal(local) || isSharedAddressSpace(local)) {
                    warnings.add("this machine's address " + local.getHostAddress() + " is private (behind NAT?):"
                        + " give the public address with --address");
                    continue;
                }
                found.add(local);
            } catch (IOException | RuntimeException e) {
                // no route for this family
            }
        }
        return new Found(found, warnings);
    }

    static InetAddress parse(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        return literal(text);
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, carrier-grade NAT (RFC 6598). */
    private static boolean isSharedAddressSpace(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }
}
