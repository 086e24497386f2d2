package org.letterbox.imap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imapserver.netty.NettyConstants;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Closes a connection that has not logged in and has sent nothing for a while (RFC 9051 §5.4 allows an autologout
 * timer before authentication), so that idle unauthenticated connections cannot pile up. It leaves the pipeline at
 * the first timer tick after login; the 30-minute inactivity timeout applies from then on.
 */
final class PreAuthIdleTimeout extends IdleStateHandler {

    PreAuthIdleTimeout(Duration timeout) {
        super(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() != IdleState.READER_IDLE) {
            return;
        }
        ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        if (session != null && session.getState() != ImapSessionState.NON_AUTHENTICATED) {
            ctx.pipeline().remove(this);
            return;
        }
        ctx.writeAndFlush(Unpooled.copiedBuffer("* BYE Autologout; no login in time\r\n", StandardCharsets.US_ASCII))
            .addListener(ChannelFutureListener.CLOSE);
    }
}
