package org.letterbox.net;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection that has not logged in and has sent nothing for a while, with one protocol line saying why,
 * so that idle unauthenticated connections cannot pile up. At the first timer tick after login it leaves the
 * pipeline; the protocol's own inactivity timeout applies from then on. One instance per connection.
 */
public final class PreAuthIdleTimeout extends IdleStateHandler {

    private final Predicate<Channel> loggedIn;
    private final byte[] farewell;

    /**
     * @param loggedIn whether the connection's session has logged in
     * @param farewellLine what the client is told before the connection closes (without CRLF)
     */
    public PreAuthIdleTimeout(Duration timeout, Predicate<Channel> loggedIn, String farewellLine) {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.loggedIn = loggedIn;
        this.farewell = (farewellLine + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() != IdleState.READER_IDLE) {
            return;
        }
        if (loggedIn.test(ctx.channel())) {
            ctx.pipeline().remove(this);
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(farewell)).addListener(ChannelFutureListener.CLOSE);
    }
}
