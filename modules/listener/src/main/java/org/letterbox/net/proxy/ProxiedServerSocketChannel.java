package org.letterbox.net.proxy;

import java.nio.channels.SocketChannel;
import java.util.List;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.SocketUtils;

/** A listening socket whose accepted connections are {@link ProxiedSocketChannel}s. */
public final class ProxiedServerSocketChannel extends NioServerSocketChannel {

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel socket = SocketUtils.accept(javaChannel());
        if (socket == null) {
            return 0;
        }
        try {
            buf.add(new ProxiedSocketChannel(this, socket));
            return 1;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
