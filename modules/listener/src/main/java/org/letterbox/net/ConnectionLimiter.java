package org.letterbox.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Caps connections per listener and per client IP; clients in the trusted networks are not held to the per-IP cap.
 * One instance serves every channel of a listener. A refused client is told why in one protocol line (e.g. {@code 421 4.7.0 ...}) before the connection is closed.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("letterbox.counted");

    private final int maxTotal;
    private final int maxPerIp;
    private final byte[] refusal;
    private final TrustedNetworks trusted;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerIp, String refusalLine, TrustedNetworks trusted) {
        this.trusted = trusted;
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.refusal = (refusalLine + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        int now = total.incrementAndGet();
        int fromIp = perIp.computeIfAbsent(ip, key -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(true);
        if ((maxTotal > 0 && now > maxTotal) || (maxPerIp > 0 && fromIp > maxPerIp && !trusted.contains(ip))) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(refusal)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            total.decrementAndGet();
            InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            perIp.computeIfPresent(ip, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        super.channelInactive(ctx);
    }
}
