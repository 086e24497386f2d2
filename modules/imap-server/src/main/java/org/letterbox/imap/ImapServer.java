package org.letterbox.imap;


import java.net.InetSocketAddress;
import java.time.Duration;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imap.processor.main.DefaultImapProcessorFactory;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapChannelUpstreamHandler;
import org.apache.james.imapserver.netty.ImapIdleStateHandler;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.imapserver.netty.ReactiveThrottler;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.protocols.netty.AbstractAsyncServer;
import org.apache.james.protocols.netty.Encryption;
import org.letterbox.net.NoReverseLookups;
import org.letterbox.net.ConnectionLimiter;
import org.letterbox.net.PreAuthConnections;
import org.letterbox.net.PreAuthIdleTimeout;
import org.letterbox.store.MailStore;
import org.letterbox.store.metrics.NoopMetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * One IMAP listener (143 with STARTTLS, or 993 with implicit TLS) serving James's IMAP processor over the store.
 *
 * <p>The channel glue is James's own ({@code ImapRequestFrameDecoder} and {@code ImapChannelUpstreamHandler} from
 * james-server-protocols-imap4): it already handles synchronizing and non-synchronizing literals, literals spooled
 * to disk, IDLE and AUTHENTICATE line handlers, COMPRESS and one command at a time per connection. We add
 * connection limits, a per-connection choice of whether plain-text login is allowed, and a processor that runs
 * every command on the store's scheduler instead of the event loop. See docs/design.md.
 */
public final class ImapServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(ImapServer.class);

    static {
        NoReverseLookups.apply();
    }

    private final Listener listener;
    private final ImapSettings settings;

    private ImapServer(ImapSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public static ImapServer start(ImapSettings settings, MailStore store) throws Exception {
        NoopMetricFactory metrics = NoopMetricFactory.INSTANCE;
        ImapProcessor james = DefaultImapProcessorFactory.createXListSupportingProcessor(store.mailboxManager(),
            store.eventBus(), store.subscriptionManager(), new SpecialUseTyper(), store.quotaManager(),
            store.quotaRootResolver(), metrics);
        StoreBoundImapProcessor processor = new StoreBoundImapProcessor(james, store.scheduler(),
            settings.failedLoginDelay(), store.sessionLeases(), settings.maxConnectionsPerUser(), settings.maxLiteralSize(), store.credentials(),
            store.mailboxManager(), settings.loginGuard(), store.diskSpace());
        ImapConfiguration configuration = ImapConfiguration.builder()
            .enableIdle(true)
            .isCondstoreEnable(true)
            .isProvisionDefaultMailboxes(false)
            // SPECIAL-USE (RFC 6154) says the same; clients that see XLIST prefer the obsolete command
            .disabledCaps("XLIST")
            .appendLimit(settings.maxLiteralSize())
            .build();
        processor.configure(configuration);

        Encryption encryption = settings.tlsMode().encryption(settings.sslContext());
        Listener listener = new Listener(settings, processor, encryption,
            // No server-wide request cap: a request James's throttler queues has its last reply flushed only when
            // the throttler gets to it, after the session's later commands have written theirs, so pipelined replies
            // come out of order. Each session runs one command at a time and the store's executor is bounded.
            new ReactiveThrottler(new NoopGaugeRegistry(), -1, 0),
            configuration.idleTimeIntervalAsDuration());
        listener.setListenAddresses(settings.address());
        listener.setIoWorkerCount(settings.ioThreads());
        listener.bind();
        LOGGER.info("IMAP listening on {} (TLS: {})", settings.address(), settings.tlsMode());
        return new ImapServer(settings, listener);
    }

    public ImapSettings settings() {
        return settings;
    }

    /** Stops accepting, closes every connection and waits for the I/O threads to finish. */
    @Override
    public void close() {
        listener.unbind();
    }

    /** Like {@link #close()} without waiting for the I/O threads (for tests that start many listeners). */
    public void closeNow() {
        listener.setGracefulShutdown(false);
        listener.unbind();
    }

    private static boolean loggedIn(io.netty.channel.Channel channel) {
        ImapSession session = channel.attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
        return session != null && session.getState() != org.apache.james.imap.api.ImapSessionState.NON_AUTHENTICATED;
    }

    private static final class Listener extends AbstractAsyncServer {
        private final ImapSettings settings;
        private final StoreBoundImapProcessor processor;
        private final Encryption encryption;
        private final ReactiveThrottler throttler;
        private final Duration heartbeat;
        private final ImapDecoder decoder = CommandParsers.decoder();
        private final ImapEncoder encoder = new ResponseEncoder();
        private final ImapMetrics metrics = new ImapMetrics(NoopMetricFactory.INSTANCE);

        Listener(ImapSettings settings, StoreBoundImapProcessor processor, Encryption encryption, ReactiveThrottler throttler,
                 Duration heartbeat) {
            this.settings = settings;
            this.processor = processor;
            this.encryption = encryption;
            this.throttler = throttler;
            this.heartbeat = heartbeat;
        }

        private ChannelInboundHandlerAdapter coreHandler(boolean sslRequired) {
            return ImapChannelUpstreamHandler.builder()
                .reactiveThrottler(throttler)
                .hello("IMAP4rev1 " + settings.hostname() + " Letterbox ready.")
                .processor(processor)
                .encoder(encoder)
                .compress(true)
                .authenticationConfiguration(new IMAPServer.AuthenticationConfiguration(sslRequired, true))
                .secure(encryption)
                .imapMetrics(metrics)
                .heartbeatInterval(heartbeat)
                .ignoreIDLEUponProcessing(true)
                .build();
        }

        @Override
        protected void configureBootstrap(io.netty.bootstrap.ServerBootstrap bootstrap) {
            super.configureBootstrap(bootstrap);
            org.letterbox.net.proxy.ProxyProtocol.useProxiedChannels(bootstrap);
        }

        @Override
        protected ChannelInitializer<SocketChannel> createPipelineFactory() {
            ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
                "* BYE Too many connections, try again later", settings.trustedNetworks());
            PreAuthConnections preAuth = new PreAuthConnections(settings.maxPreAuthConnectionsPerIp(), settings.trustedNetworks(),
                "* BYE Too many connections not logged in from your address, try again later");
            int timeoutSeconds = (int) settings.idleTimeout().toSeconds();
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel accepted) {
                    settings.proxyProtocol().initialize(accepted, channel -> build((SocketChannel) channel));
                }

                private void build(SocketChannel channel) {
                    ChannelPipeline pipeline = channel.pipeline();
                    boolean sslRequired = !org.letterbox.net.PlaintextLogin.allowed(settings.tlsMode(), false,
                        settings.plaintextLoginOnLoopback(), channel.remoteAddress());
                    if (encryption != null && !encryption.isStartTLS()) {
                        pipeline.addLast(NettyConstants.SSL_HANDLER, encryption.sslHandler());
                    }
                    pipeline.addLast(NettyConstants.TIMEOUT_HANDLER, new ImapIdleStateHandler(timeoutSeconds));
                    // RFC 9051 §5.4 allows an autologout timer before authentication
                    pipeline.addLast("preAuthTimeout", new PreAuthIdleTimeout(settings.preAuthIdleTimeout(),
                        ImapServer::loggedIn, "* BYE Autologout; no login in time"));
                    pipeline.addLast("connectionLimit", limiter);
                    pipeline.addLast("preAuthLimit", preAuth);
                    pipeline.addLast(NettyConstants.FRAMER, ReentrancySafeFrameDecoder.framer(settings.maxLineLength()));
                    pipeline.addLast(NettyConstants.CHUNK_WRITE_HANDLER, new ChunkedWriteHandler());
                    // The decoder's own literal cap answers an over-long literal with BAD after inviting it, and then
                    // reads the literal as commands; so it is only a hard backstop here. APPEND's limit (NO [TOOBIG])
                    // is enforced by the processor on a literal that was spooled to disk, never held in memory.
                    pipeline.addLast(NettyConstants.REQUEST_DECODER, new ReentrancySafeFrameDecoder(decoder,
                        settings.inMemoryLiteralLimit(), 0, settings.maxLineLength(), settings.preAuthLiteralLimit()));
                    // Before the core handler: it drops the session from the channel when the connection closes.
                    pipeline.addLast("sessionTracking", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) throws Exception {
                            super.channelActive(ctx);
                            ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
                            if (session != null) {
                                session.setAttribute(StoreBoundImapProcessor.CHANNEL, ctx.channel());
                            }
                            if (session != null && ctx.channel().remoteAddress() instanceof InetSocketAddress address) {
                                session.setAttribute(StoreBoundImapProcessor.REMOTE_IP, address.getAddress().getHostAddress());
                            }
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                            ImapSession session = ctx.channel().attr(NettyConstants.IMAP_SESSION_ATTRIBUTE_KEY).get();
                            if (session != null) {
                                processor.connectionClosed(session);
                            }
                            super.channelInactive(ctx);
                        }
                    });
                    pipeline.addLast(NettyConstants.CORE_HANDLER, coreHandler(sslRequired));
                }
            };
        }
    }
}
