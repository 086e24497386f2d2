package org.letterbox.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which address families outbound delivery connects to, and in which order: only IPv4, only IPv6, or both with
 * one family first. The default prefers IPv4, since receivers such as Gmail refuse IPv6 senders without reverse DNS.
 * {@link #toString()} is the configuration file's spelling ({@code prefer-ipv4}).
 */
public enum IpPreference {
    IPV4,
    IPV6,
    PREFER_IPV4,
    PREFER_IPV6;

    /** The configuration spelling: {@code ipv4}, {@code ipv6}, {@code prefer-ipv4}, {@code prefer-ipv6}. */
    public static IpPreference parse(String text) {
        for (IpPreference value : values()) {
            if (value.toString().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of ipv4, ipv6, prefer-ipv4, prefer-ipv6");
    }

    boolean wantsV4() {
        return this != IPV6;
    }

    boolean wantsV6() {
        return this != IPV4;
    }

    /** {@code addresses} in this preference's order, the other family dropped where it is excluded. */
    List<InetAddress> order(List<InetAddress> addresses) {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress address : addresses) {
            (address instanceof Inet4Address ? v4 : v6).add(address);
        }
        List<InetAddress> result = new ArrayList<>();
        switch (this) {
            case IPV4 -> result.addAll(v4);
            case IPV6 -> result.addAll(v6);
            case PREFER_IPV4 -> {
                result.addAll(v4);
                result.addAll(v6);
            }
            case PREFER_IPV6 -> {
                result.addAll(v6);
                result.addAll(v4);
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
