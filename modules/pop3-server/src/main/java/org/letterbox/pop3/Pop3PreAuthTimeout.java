package org.letterbox.pop3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.pop3.POP3Session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection that has not logged in and has sent nothing for a while, so idle unauthenticated
 * connections cannot pile up (RFC 1939's ten-minute autologout applies once logged in). It leaves the pipeline at
 * the first timer tick after login.
 */
final class Pop3PreAuthTimeout extends IdleStateHandler {

    Pop3PreAuthTimeout(Duration timeout) {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() != IdleState.READER_IDLE) {
            return;
        }
        Object session = ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        if (session instanceof POP3Session pop3 && pop3.getHandlerState() == POP3Session.TRANSACTION) {
            ctx.pipeline().remove(this);
            return;
        }
        ctx.writeAndFlush(Unpooled.copiedBuffer("-ERR Autologout; no login in time\r\n", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
    }
}
