package org.letterbox.net.proxy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.letterbox.net.TrustedNetworks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/**
 * Where PROXY headers are accepted from, for every listener.
 *
 * @param from the load balancers' networks (CIDR); a connection from them must open with a PROXY header (v1 or v2),
 *             one from anywhere else is taken as the client itself. Empty: the protocol is off.
 * @param headerTimeout how long a balancer's connection may take to send its header before it is closed
 */
public final class ProxyProtocol {

    /** Largest version 2 header accepted beyond its fixed part (addresses and TLVs), in bytes. */
    public static final int MAX_V2_EXTRA_BYTES = 4096;

    private static final ProxyProtocol OFF = new ProxyProtocol(List.of(), Duration.ofSeconds(5));

    private final List<String> from;
    private final TrustedNetworks balancers;
    private final Duration headerTimeout;

    /** Throws IllegalArgumentException naming a bad network, or for a timeout that is not positive. */
    public ProxyProtocol(List<String> from, Duration headerTimeout) {
        this.from = List.copyOf(from);
        this.balancers = TrustedNetworks.of(this.from);
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the PROXY header timeout must be positive");
        }
        this.headerTimeout = headerTimeout;
    }

    public List<String> from() {
        return from;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** No load balancer: every connection is the client itself. */
    public static ProxyProtocol off() {
        return OFF;
    }

    public boolean enabled() {
        return !from.isEmpty();
    }

    /**
     * Makes {@code bootstrap} accept {@link ProxiedSocketChannel}s, replacing the channel class it was given. James's
     * servers choose {@code NioServerSocketChannel} before they let us configure the bootstrap, and Netty refuses a
     * second channel factory; so the first is cleared here, the one place that swaps it.
     */
    public static void useProxiedChannels(ServerBootstrap bootstrap) {
        try {
            java.lang.reflect.Field factory = io.netty.bootstrap.AbstractBootstrap.class.getDeclaredField("channelFactory");
            factory.setAccessible(true);
            factory.set(bootstrap, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot use PROXY-aware channels with this Netty: " + e, e);
        }
        bootstrap.channel(ProxiedServerSocketChannel.class);
    }

    /**
     * Sets up an accepted connection: {@code initializer} (the listener's own pipeline) runs at once for a client that
     * connects directly, and only after the PROXY header for a load balancer's connection, so that everything it
     * decides from the remote address (TLS requirements, caps) is decided on the client's. Until then only the header
     * decoder is in the pipeline, ahead of TLS.
     */
    public void initialize(Channel channel, Consumer<Channel> initializer) {
        if (enabled() && channel instanceof ProxiedSocketChannel proxied
                && balancers.contains(proxied.peerAddress().getAddress())) {
            channel.pipeline().addLast(ProxyHeaderGate.DECODER_NAME, new HAProxyMessageDecoder(MAX_V2_EXTRA_BYTES, true));
            channel.pipeline().addLast(ProxyHeaderGate.NAME, new ProxyHeaderGate(proxied, headerTimeout, initializer));
            return;
        }
        initializer.accept(channel);
    }
}
