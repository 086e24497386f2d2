package org.letterbox.net;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * Holds a connection's reads between a STARTTLS/STLS command and the moment TLS is in place.
 *
 * <p>James writes the positive reply and only then adds the {@link SslHandler}, from the protocol thread, and Netty
 * runs the handler's set-up on the event loop later still. A client that answers the reply at once can get its
 * ClientHello read before that: the line framer then drops it as text after STARTTLS, and the handshake fails or
 * hangs. Reading is switched off when the command is framed (before the reply exists, so before the client can
 * send anything), and on again one event-loop turn after the handler is seen in the pipeline, so its set-up, queued
 * when it was added, has run.
 */
public final class TlsUpgradePause {

    private static final long GIVE_UP_SECONDS = 10;

    private TlsUpgradePause() {
    }

    /** Stops reading from {@code channel} until its pipeline holds an {@link SslHandler} (or 10 s pass, or it closes). */
    public static void pauseUntilTls(Channel channel) {
        channel.config().setAutoRead(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        new Object() {
            private boolean seen;

            void check() {
                boolean present = channel.pipeline().get(SslHandler.class) != null;
                if ((present && seen) || System.nanoTime() > deadline || !channel.isActive()) {
                    channel.config().setAutoRead(true);
                    channel.read();
                    return;
                }
                seen = present;
                channel.eventLoop().schedule(this::check, present ? 0 : 1, TimeUnit.MILLISECONDS);
            }
        }.check();
    }
}
