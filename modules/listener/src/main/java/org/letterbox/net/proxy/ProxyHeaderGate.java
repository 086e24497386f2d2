package org.letterbox.net.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.letterbox.net.login.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds a load balancer's connection back (no pipeline, no greeting, no connection counting) until its PROXY header
 * has been decoded, then gives the channel the client's address, builds the listener's pipeline and starts it. A
 * {@code LOCAL} header (the balancer's own health check) or one for a protocol other than TCP over IPv4 or IPv6 leaves
 * the balancer's address in place. A bad header, or none within the timeout, closes the connection unanswered.
 */
final class ProxyHeaderGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "proxyHeaderGate";
    static final String DECODER_NAME = "proxyHeaderDecoder";

    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyHeaderGate.class);

    private final ProxiedSocketChannel channel;
    private final Duration timeout;
    private final Consumer<Channel> initializer;
    private ScheduledFuture<?> deadline;
    private boolean started;

    ProxyHeaderGate(ProxiedSocketChannel channel, Duration timeout, Consumer<Channel> initializer) {
        this.channel = channel;
        this.timeout = timeout;
        this.initializer = initializer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held: the handlers behind see the connection start once the client's address is known
        deadline = ctx.executor().schedule(() -> {
            if (!started) {
                LOGGER.info("proxy: no PROXY header from {} within {} s; closed", channel.peerAddress(), timeout.toSeconds());
                ctx.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            InetSocketAddress client = client(header);
            if (client != null) {
                channel.proxiedFor(client);
            }
        } catch (UnknownHostException | IllegalArgumentException e) {
            LOGGER.info("proxy: unusable PROXY header from {}: {}; closed", channel.peerAddress(), LogValue.escape(e.getMessage()));
            ctx.close();
            return;
        } finally {
            header.release();
        }
        started = true;
        deadline.cancel(false);
        ctx.pipeline().remove(this);
        initializer.accept(channel);
        // from the head, so that the handlers just added see the start; the decoder passes it on and then leaves,
        // handing them whatever arrived behind the header
        channel.pipeline().fireChannelActive();
    }

    /** The client the header names, or null when the balancer's own address stands. */
    private static InetSocketAddress client(HAProxyMessage header) throws UnknownHostException {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        if (protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6) {
            return null;
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + header.sourceAddress());
        }
        return new InetSocketAddress(InetAddress.getByAddress(address), header.sourcePort());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        // the listener's handlers are not there yet: nobody behind is told
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOGGER.info("proxy: bad PROXY header from {}: {}; closed", channel.peerAddress(), LogValue.escape(String.valueOf(cause.getMessage())));
        ctx.close();
    }
}
