package org.letterbox.pop3;

import java.nio.charset.StandardCharsets;

import org.apache.james.protocols.netty.AllButStartTlsLineBasedChannelHandler;
import org.letterbox.net.TlsUpgradePause;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

/**
 * James's POP3 line framer (it refuses text pipelined behind STLS), which also stops reading at the STLS line until
 * TLS is in place ({@link TlsUpgradePause}). Without the pause about one upgrade in twenty failed: the client's
 * ClientHello, sent the moment it read {@code +OK}, reached this framer before the TLS handler and was taken for
 * text injected after STLS, so the connection was closed mid-handshake.
 */
final class StlsLineFramer extends AllButStartTlsLineBasedChannelHandler {

    private static final String STLS = "stls";

    StlsLineFramer(ChannelPipeline pipeline, int maxLineLength) {
        super(pipeline, maxLineLength, false, STLS);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        Object frame = super.decode(ctx, buffer);
        if (frame instanceof ByteBuf line && ctx.pipeline().get(SslHandler.class) == null
            && line.toString(StandardCharsets.US_ASCII).trim().equalsIgnoreCase(STLS)) {
            TlsUpgradePause.pauseUntilTls(ctx.channel());
        }
        return frame;
    }
}
