package org.letterbox.delivery.route;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Tells whether a destination is this server itself: one of the addresses and ports its MX listener is bound to
 * (a wildcard bind covers every local address on that port), or a peer that greets with our own host name. Mail
 * that would go there is a configuration error (a domain missing from our domains, or a wrong MX), not a
 * destination.
 */
public final class SelfCheck {

    private final List<InetSocketAddress> listeners;
    private final String hostname;

    public SelfCheck(List<InetSocketAddress> listeners, String hostname) {
        this.listeners = List.copyOf(listeners);
        this.hostname = hostname.toLowerCase(Locale.ROOT);
    }

    public boolean isSelf(InetSocketAddress peer) {
        for (InetSocketAddress listener : listeners) {
            if (listener.getPort() != peer.getPort()) {
                continue;
            }
            InetAddress bound = listener.getAddress();
            if (bound.equals(peer.getAddress())) {
                return true;
            }
            if (bound.isAnyLocalAddress() && isLocal(peer.getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** True when a greeting or EHLO reply begins with our own host name. */
    public boolean greetsAsUs(String firstLine) {
        String[] words = firstLine.trim().split("\\s+", 2);
        return words.length > 0 && words[0].toLowerCase(Locale.ROOT).equals(hostname);
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
