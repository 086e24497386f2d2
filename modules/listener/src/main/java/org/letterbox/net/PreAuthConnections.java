package org.letterbox.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * A per-IP cap on connections that have not logged in yet, below the cap on all connections: one address cannot
 * hold many idle, unauthenticated sessions open. A connection stops counting once it logs in ({@link #loggedIn}),
 * or when it closes. Clients in the trusted networks are not held to it. One instance serves a listener.
 */
@ChannelHandler.Sharable
public final class PreAuthConnections extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("letterbox.preAuthCounted");
    private static final AttributeKey<PreAuthConnections> OWNER = AttributeKey.valueOf("letterbox.preAuthOwner");

    private final int maxPerIp;
    private final TrustedNetworks trusted;
    private final byte[] refusal;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final java.util.function.Predicate<Channel> loggedIn;

    public PreAuthConnections(int maxPerIp, TrustedNetworks trusted, String refusalLine) {
        this(maxPerIp, trusted, refusalLine, channel -> false);
    }

    /**
     * @param loggedIn tells, at each message read, whether the connection has logged in meanwhile (for protocols
     *                 whose login code cannot reach the channel to call {@link #loggedIn(Channel)})
     */
    public PreAuthConnections(int maxPerIp, TrustedNetworks trusted, String refusalLine,
                              java.util.function.Predicate<Channel> loggedIn) {
        this.loggedIn = loggedIn;
        this.maxPerIp = maxPerIp;
        this.trusted = trusted;
        this.refusal = (refusalLine + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!trusted.contains(ip)) {
            int now = perIp.computeIfAbsent(ip, key -> new AtomicInteger()).incrementAndGet();
            ctx.channel().attr(COUNTED).set(ip);
            ctx.channel().attr(OWNER).set(this);
            if (now > maxPerIp) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        super.channelActive(ctx);
    }

    /** The connection has logged in: it no longer counts against its address (whichever listener counted it). */
    public static void loggedIn(Channel channel) {
        PreAuthConnections owner = channel.attr(OWNER).getAndSet(null);
        if (owner != null) {
            owner.release(channel);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (ctx.channel().hasAttr(COUNTED) && ctx.channel().attr(COUNTED).get() != null && loggedIn.test(ctx.channel())) {
            release(ctx.channel());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release(ctx.channel());
        super.channelInactive(ctx);
    }

    /** Connections from {@code ip} that count now (for tests). */
    public int counted(InetAddress ip) {
        AtomicInteger count = perIp.get(ip);
        return count == null ? 0 : count.get();
    }

    private void release(Channel channel) {
        InetAddress ip = channel.attr(COUNTED).getAndSet(null);
        if (ip != null) {
            perIp.computeIfPresent(ip, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }
}
