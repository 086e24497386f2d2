package org.letterbox.net.login;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds a failed login's reply back without holding a thread. The login code, on whatever thread it runs, asks for
 * the connection's next reply to be held for a while; the connection's {@link #handler()} keeps that reply, and
 * everything written after it, in order, and writes them when the time is up on the channel's event loop. Reading
 * stops meanwhile, so a client that does not wait for the answer gets nothing done either.
 *
 * <p>Connections are named by their two addresses, which is all a James protocol session exposes.
 */
public final class ReplyHold {

    private record Connection(SocketAddress local, SocketAddress remote) {
    }

    private final Map<Connection, Duration> requested = new ConcurrentHashMap<>();

    /** Holds the next reply on the connection between {@code local} and {@code remote} for {@code delay}. */
    public void holdNextReply(SocketAddress local, SocketAddress remote, Duration delay) {
        if (!delay.isZero() && !delay.isNegative()) {
            requested.put(new Connection(local, remote), delay);
        }
    }

    /** A new handler for one connection's pipeline, in front of (closer to the network than) the protocol. */
    public ChannelOutboundHandlerAdapter handler() {
        return new Handler();
    }

    private final class Handler extends ChannelOutboundHandlerAdapter {
        private final ArrayDeque<Object[]> held = new ArrayDeque<>();
        private boolean holding;
        private boolean flushWanted;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (holding) {
                held.add(new Object[] {msg, promise});
                return;
            }
            Duration delay = requested.remove(new Connection(ctx.channel().localAddress(), ctx.channel().remoteAddress()));
            if (delay == null) {
                ctx.write(msg, promise);
                return;
            }
            holding = true;
            ctx.channel().config().setAutoRead(false);
            held.add(new Object[] {msg, promise});
            ctx.executor().schedule(() -> release(ctx), delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (holding) {
                flushWanted = true;
            } else {
                ctx.flush();
            }
        }

        private void release(ChannelHandlerContext ctx) {
            holding = false;
            if (!ctx.channel().isActive()) {
                drop();
                return;
            }
            Object[] next;
            while (!holding && (next = held.poll()) != null) {
                if (next[0] == CLOSE) {
                    ctx.flush();
                    ctx.close((ChannelPromise) next[1]);
                } else {
                    write(ctx, next[0], (ChannelPromise) next[1]);
                }
            }
            if (flushWanted) {
                flushWanted = false;
                ctx.flush();
            }
            if (!holding) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        private void drop() {
            Object[] next;
            while ((next = held.poll()) != null) {
                if (next[0] == CLOSE) {
                    ((ChannelPromise) next[1]).trySuccess();
                } else {
                    ReferenceCountUtil.release(next[0]);
                    ((ChannelPromise) next[1]).tryFailure(new java.nio.channels.ClosedChannelException());
                }
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (holding) {
                // a reply that closes the connection (421, a last -ERR) goes out first, after its delay
                held.add(new Object[] {CLOSE, promise});
                return;
            }
            requested.remove(new Connection(ctx.channel().localAddress(), ctx.channel().remoteAddress()));
            ctx.close(promise);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            requested.remove(new Connection(ctx.channel().localAddress(), ctx.channel().remoteAddress()));
            drop();
        }
    }

    private static final Object CLOSE = new Object();
}
