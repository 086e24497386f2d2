package org.letterbox.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Client networks the per-IP connection caps do not apply to, as Postfix exempts {@code mynetworks}: by default
 * the loopback ranges, so that local senders, fetchers and load tests on the same machine are never refused.
 * Written in CIDR notation ({@code 127.0.0.0/8}, {@code ::1/128}, {@code 192.0.2.0/24}).
 */
public final class TrustedNetworks {

    /** The default: IPv4 and IPv6 loopback. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private TrustedNetworks(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses CIDR blocks; a bare address is a single host. Throws IllegalArgumentException naming a bad entry. */
    public static TrustedNetworks of(List<String> cidrs) {
        return new TrustedNetworks(cidrs.stream().map(TrustedNetworks::block).toList());
    }

    public static TrustedNetworks loopback() {
        return of(LOOPBACK);
    }

    private static Block block(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (host.isEmpty() || !host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a network in CIDR notation: '" + cidr + "'");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(host).getAddress(); // a literal: no name is looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a network in CIDR notation: '" + cidr + "'");
        }
        int prefix;
        try {
            prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
        }
        return new Block(network, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return blocks.stream().anyMatch(block -> block.contains(bytes));
    }
}
