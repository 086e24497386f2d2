package org.letterbox.net.proxy;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * An accepted connection whose remote address can be replaced, once, by the client address a load balancer names in
 * its PROXY header. Everything that asks the channel for its remote address (James's sessions, the connection caps,
 * logs) then sees the client.
 */
public final class ProxiedSocketChannel extends NioSocketChannel {

    private volatile InetSocketAddress client;

    ProxiedSocketChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress proxied = client;
        return proxied != null ? proxied : super.remoteAddress();
    }

    /** The address of the peer TCP connected from: the load balancer when there is one. */
    public InetSocketAddress peerAddress() {
        return super.remoteAddress();
    }

    void proxiedFor(InetSocketAddress clientAddress) {
        if (client != null) {
            throw new IllegalStateException("the client address is set once");
        }
        client = clientAddress;
    }
}
