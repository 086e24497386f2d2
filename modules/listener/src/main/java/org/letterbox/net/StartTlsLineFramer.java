package org.letterbox.net;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;

/**
 * Lines, as Netty's {@link LineBasedFrameDecoder} cuts them, refusing text sent behind a STARTTLS (or STLS) in
 * clear: such text would otherwise be executed inside the TLS session (the CVE-2011-0411 class of attack). It
 * replaces James's framers, which looked for the verb by copying the whole rest of the buffer into a string for
 * every line, so that a megabyte of short lines in one segment cost minutes of CPU before any login; here each
 * line is looked at once.
 */
public class StartTlsLineFramer extends LineBasedFrameDecoder {

    /** Text arrived behind the TLS upgrade command, before TLS: the connection is to be closed. */
    public static final class InjectionDetected extends DecoderException {
        public InjectionDetected() {
            super("text sent behind STARTTLS before TLS");
        }
    }

    private final String verb;
    private final boolean tagged;
    private final Consumer<Channel> onUpgradeRequested;
    private boolean upgradeRequested;

    /**
     * @param verb the upgrade command, {@code STARTTLS} or {@code STLS}
     * @param tagged whether commands carry a tag before the verb (IMAP)
     * @param onUpgradeRequested run on the upgrade command's line (POP3 pauses reading there)
     */
    public StartTlsLineFramer(int maxLineLength, String verb, boolean tagged, Consumer<Channel> onUpgradeRequested) {
        super(maxLineLength, false, false);
        this.verb = verb.toLowerCase(Locale.ROOT);
        this.tagged = tagged;
        this.onUpgradeRequested = onUpgradeRequested;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        boolean clear = ctx.pipeline().get(SslHandler.class) == null;
        if (clear && upgradeRequested && buffer.isReadable()) {
            throw new InjectionDetected();
        }
        Object frame = super.decode(ctx, buffer);
        if (clear && frame instanceof ByteBuf line && isUpgrade(line)) {
            if (buffer.isReadable()) {
                line.release();
                throw new InjectionDetected();
            }
            upgradeRequested = true;
            onUpgradeRequested.accept(ctx.channel());
        }
        return frame;
    }

    /** Whether {@code line} is the upgrade command, with nothing after it; costs one pass over the line. */
    private boolean isUpgrade(ByteBuf line) {
        int length = line.readableBytes();
        if (length > 128) {
            return false;
        }
        String text = line.toString(line.readerIndex(), length, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
        if (tagged) {
            int space = text.indexOf(' ');
            text = space < 0 ? text : text.substring(space + 1).trim();
        }
        return text.equals(verb);
    }
}
