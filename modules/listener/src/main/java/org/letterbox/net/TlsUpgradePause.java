package org.letterbox.net;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

/**
 * Holds a connection's reads between a STARTTLS/STLS command and the moment TLS is in place.
 *
 * <p>James writes the positive reply from the protocol thread and then adds the {@link SslHandler}; Netty finishes
 * adding it (its {@code handlerAdded}) on the event loop later still. Until then the handler is skipped, so a
 * ClientHello read in between would reach the line framer as text and the handshake would fail or hang. Reading is
 * switched off when the command is framed (before the reply exists, so before the client can send anything), and
 * switched on again by the TLS handler itself once it is in place ({@link ListenerEncryption}): nothing the client
 * sends after the reply can pass it by. Should no TLS handler ever come (the upgrade was refused), reading resumes
 * after {@value #GIVE_UP_SECONDS} seconds.
 */
public final class TlsUpgradePause {

    private static final long GIVE_UP_SECONDS = 10;
    private static final AttributeKey<Boolean> PAUSED = AttributeKey.valueOf("letterbox.tlsUpgradePause");

    private TlsUpgradePause() {
    }

    /** Stops reading from {@code channel} until a TLS handler made by {@link ListenerEncryption} is in place. */
    public static void pauseUntilTls(Channel channel) {
        channel.attr(PAUSED).set(Boolean.TRUE);
        channel.config().setAutoRead(false);
        channel.eventLoop().schedule(() -> resume(channel), GIVE_UP_SECONDS, TimeUnit.SECONDS);
    }

    /** Called on the event loop when the TLS handler has been added: reading goes on, through it. */
    static void tlsInPlace(Channel channel) {
        resume(channel);
    }

    private static void resume(Channel channel) {
        if (channel.attr(PAUSED).getAndSet(null) != null && channel.isActive()) {
            channel.config().setAutoRead(true);
            channel.read();
        }
    }
}
