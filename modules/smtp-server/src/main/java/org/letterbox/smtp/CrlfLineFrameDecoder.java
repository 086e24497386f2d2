package org.letterbox.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.core.DataCmdHandler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

/**
 * Frames SMTP input into lines ending in CRLF, and only CRLF.
 *
 * <ul>
 * <li><b>No smuggling.</b> A bare LF or bare CR never ends a line, so {@code <LF>.<LF>} or {@code <CR>.<CR>}
 * inside DATA can never end a message (CVE-2023-51764 class). Such bytes stay inside the line, where
 * {@link LineHygieneFilter} normalises them.</li>
 * <li><b>No STARTTLS injection.</b> Once a STARTTLS command line is framed, every byte that follows it in plain
 * text is discarded until TLS is in place (CVE-2011-0411 class).</li>
 * <li><b>Long lines stay in step.</b> A command line over the limit is swallowed up to its CRLF and replaced by a
 * single {@code LINE-TOO-LONG} marker command, answered once with 500 5.5.2. A DATA line over the limit is cut
 * at the limit, the rest of it dropped, and the message is flagged so the end of DATA is answered 500 5.5.2 and
 * nothing is delivered.</li>
 * </ul>
 */
final class CrlfLineFrameDecoder extends ByteToMessageDecoder {

    /** Set on the channel when a DATA line was too long; read by {@link LineHygieneFilter}. */
    static final AttributeKey<Boolean> DATA_LINE_TOO_LONG = AttributeKey.valueOf("letterbox.dataLineTooLong");
    /** The session's channel, recorded so that filters running on the session can read the flag above. */
    static final ProtocolSession.AttachmentKey<io.netty.channel.Channel> CHANNEL =
        ProtocolSession.AttachmentKey.of("letterbox.channel", io.netty.channel.Channel.class);
    static final byte[] LINE_TOO_LONG_COMMAND = "LINE-TOO-LONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxCommandLine;
    private final int maxDataLine;
    private final long commandTimeoutNanos;
    private final long dataTimeoutNanos;
    /** When the line being received started (0: none pending), and when the current DATA started (0: none). */
    private volatile long lineStarted;
    private volatile long dataStarted;
    private io.netty.util.concurrent.ScheduledFuture<?> watchdog;
    private boolean discarding;
    private boolean discardingInData;
    private volatile boolean awaitingTls;

    CrlfLineFrameDecoder(int maxCommandLine, int maxDataLine, java.time.Duration commandTimeout,
                         java.time.Duration dataTimeout) {
        this.maxCommandLine = maxCommandLine;
        this.maxDataLine = maxDataLine;
        this.commandTimeoutNanos = commandTimeout.toNanos();
        this.dataTimeoutNanos = dataTimeout.toNanos();
    }

    /** Checks once a second that no command line and no DATA has been arriving for longer than allowed. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long period = Math.max(100, Math.min(1000, commandTimeoutNanos / 2_000_000));
        watchdog = ctx.channel().eventLoop().scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            boolean lineLate = lineStarted != 0 && now - lineStarted > commandTimeoutNanos;
            boolean dataLate = dataStarted != 0 && now - dataStarted > dataTimeoutNanos;
            if ((lineLate || dataLate) && ctx.channel().isActive()) {
                lineStarted = 0;
                dataStarted = 0;
                ctx.channel().writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(
                    "421 4.4.2 Timeout: command not completed in time\r\n", StandardCharsets.US_ASCII))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolSession current = session(ctx);
        if (current != null && current.getAttachment(CHANNEL, ProtocolSession.State.Connection).isEmpty()) {
            current.setAttachment(CHANNEL, ctx.channel(), ProtocolSession.State.Connection);
        }
        if (awaitingTls) {
            if (ctx.pipeline().get(SslHandler.class) == null) {
                in.skipBytes(in.readableBytes());
                return;
            }
            awaitingTls = false;
        }
        boolean inDataNow = inData(ctx);
        if (inDataNow && dataStarted == 0) {
            dataStarted = System.nanoTime();
        } else if (!inDataNow) {
            dataStarted = 0;
        }
        while (in.isReadable()) {
            int end = indexOfCrlf(in);
            boolean inData = inData(ctx);
            int limit = inData ? maxDataLine : maxCommandLine;
            if (discarding) {
                if (end < 0) {
                    // keep a trailing CR: it may be the first half of the CRLF we wait for
                    int keep = in.getByte(in.writerIndex() - 1) == '\r' ? 1 : 0;
                    in.skipBytes(in.readableBytes() - keep);
                    return;
                }
                in.readerIndex(end + 2);
                discarding = false;
                out.add(discardingInData ? crlf(ctx) : ctx.alloc().buffer().writeBytes(LINE_TOO_LONG_COMMAND));
                continue;
            }
            if (end < 0) {
                if (in.readableBytes() > limit) {
                    if (inData) {
                        ctx.channel().attr(DATA_LINE_TOO_LONG).set(true);
                    }
                    discarding = true;
                    discardingInData = inData;
                    continue;
                }
                return;
            }
            int length = end + 2 - in.readerIndex();
            if (length > limit) {
                if (inData) {
                    ctx.channel().attr(DATA_LINE_TOO_LONG).set(true);
                    in.readerIndex(end + 2);
                    out.add(crlf(ctx));
                } else {
                    in.readerIndex(end + 2);
                    out.add(ctx.alloc().buffer().writeBytes(LINE_TOO_LONG_COMMAND));
                }
                continue;
            }
            ByteBuf line = in.readRetainedSlice(length);
            out.add(line);
            if (!inData && isStartTls(line) && startTlsPossible(ctx)) {
                // Anything pipelined behind STARTTLS was sent in clear text: it must never be executed.
                in.skipBytes(in.readableBytes());
                awaitingTls = true;
                org.letterbox.net.TlsUpgradePause.pauseUntilTls(ctx.channel());
                return;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ByteBuf pending = internalBuffer();
        if (pending.isReadable() || discarding) {
            if (lineStarted == 0) {
                lineStarted = System.nanoTime();
            }
        } else {
            lineStarted = 0;
        }
        super.channelReadComplete(ctx);
    }

    private static ByteBuf crlf(ChannelHandlerContext ctx) {
        return ctx.alloc().buffer(2).writeByte('\r').writeByte('\n');
    }

    private static int indexOfCrlf(ByteBuf in) {
        for (int i = in.readerIndex(); i < in.writerIndex() - 1; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isStartTls(ByteBuf line) {
        return line.toString(StandardCharsets.US_ASCII).trim().toLowerCase(Locale.US).equals("starttls");
    }

    private static ProtocolSession session(ChannelHandlerContext ctx) {
        return (ProtocolSession) ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
    }

    private static boolean startTlsPossible(ChannelHandlerContext ctx) {
        ProtocolSession session = session(ctx);
        return session != null && session.isStartTLSSupported() && !session.isTLSStarted();
    }

    private static boolean inData(ChannelHandlerContext ctx) {
        ProtocolSession session = session(ctx);
        return session != null
            && session.getAttachment(DataCmdHandler.MAILENV, ProtocolSession.State.Transaction).isPresent();
    }
}
