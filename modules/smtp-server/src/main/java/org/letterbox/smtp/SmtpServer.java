package org.letterbox.smtp;

import java.time.Duration;
import java.util.List;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.letterbox.net.ConnectionLimiter;
import org.letterbox.net.login.ReplyHold;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.netty.AbstractAsyncServer;
import org.apache.james.protocols.netty.TimeoutHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPSessionImpl;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolTransport;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.james.protocols.smtp.SMTPProtocolHandlerChain;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataLineMessageHookHandler;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.WelcomeMessageHandler;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;
import org.letterbox.store.MailStore;
import org.letterbox.store.metrics.NoopMetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One SMTP listener (MX, submission or submissions) over the store, on James's SMTP handler chain.
 *
 * <p>Threads: Netty's I/O loops only move bytes. Framing and the SMTP state machine run on this listener's own
 * protocol threads ({@link SmtpSettings#protocolThreads()}); every store call is then handed to the store's
 * executor.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(SmtpServer.class);

    private final SmtpSettings settings;
    private final Listener listener;
    private final DefaultEventLoopGroup protocolThreads;
    private final ShutdownGate gate;

    private SmtpServer(SmtpSettings settings, Listener listener, DefaultEventLoopGroup protocolThreads, ShutdownGate gate) {
        this.settings = settings;
        this.listener = listener;
        this.protocolThreads = protocolThreads;
        this.gate = gate;
    }

    /** Binds the listener; throws if the address is in use. */
    public static SmtpServer start(SmtpSettings settings, MailStore store) throws Exception {
        MetricFactory metrics = NoopMetricFactory.INSTANCE;
        ReplyHold replyHold = new ReplyHold();
        SMTPProtocolHandlerChain chain = new SMTPProtocolHandlerChain(metrics, false);
        ShutdownGate gate = new ShutdownGate(settings.hostname());
        boolean submission = settings.role() == SmtpSettings.Role.SUBMISSION;
        SubmissionRateLimit rateLimit = new SubmissionRateLimit(settings.maxMessagesPerUserPerHour(),
            settings.maxRecipientsPerUserPerHour(), java.time.Clock.systemUTC());
        List<ProtocolHandler> handlers = new java.util.ArrayList<>(List.of(
            new CommandDispatcher<SMTPSession>(),
            new ExpnCmdHandler(),
            new GreetingReplies.Ehlo(metrics),
            new GreetingReplies.Helo(metrics),
            new HelpCmdHandler(),
            new Utf8MailCmdHandler(metrics),
            new NoopCmdHandler(),
            new QuitCmdHandler(metrics),
            new Utf8RcptCmdHandler(metrics),
            new RsetCmdHandler(),
            new VrfyCmdHandler(),
            new SpoolingDataCmdHandler(metrics, settings.spoolThreshold()),
            new EsmtpExtensions(settings.maxMessageSize()),
            new WelcomeMessageHandler(),
            new LineHygieneFilter(settings.maxMessageSize()),
            new ReceivedHeaderFilter(),
            new DataLineMessageHookHandler(),
            new StartTlsCmdHandler(),
            new ProtocolGuards.LineTooLong(),
            new UnknownCmdHandler(metrics),
            gate,
            new SenderPolicy(store.accounts(), store, submission)));
        if (submission) {
            // MAIL: the hourly message count comes after the sender check
            handlers.add(rateLimit.messages());
        }
        // RCPT: one policy per hook, in this order; a new check goes between routing and acceptance
        handlers.add(new RecipientLimit(settings.maxRecipients()));
        handlers.add(new RecipientRouting(store));
        handlers.add(new RecipientQuota(store));
        if (submission) {
            handlers.add(new DsnExtension());
            handlers.add(rateLimit.recipients());
        }
        handlers.addAll(List.of(
            new RecipientAccepted(),
            new StoreAuthHook(store, settings, replyHold),
            new SubmissionFromPolicy(store.accounts(), store)));
        if (submission) {
            handlers.add(new DkimSigningHook(settings.signingKeys(), store, java.time.Clock.systemUTC()));
        } else {
            settings.inboundChecks().ifPresent(checks ->
                handlers.add(new InboundAuthHook(checks, store, settings.inboundChecksExempt())));
        }
        // the store step comes last: it applies what the policies before it decided (MessageEdits)
        handlers.add(new DeliveryHook(store));
        for (ProtocolHandler handler : handlers) {
            if (!chain.add(handler)) {
                throw new WiringException("cannot add " + handler);
            }
        }
        chain.wireExtensibleHandlers();

        SMTPProtocol protocol = new SMTPProtocol(chain, new LetterboxSmtpConfiguration(settings)) {
            @Override
            public ProtocolSession newSession(ProtocolTransport transport) {
                // Commands are decoded as UTF-8 rather than ASCII, so SMTPUTF8 addresses arrive intact.
                return new SMTPSessionImpl(transport, (SMTPConfiguration) getConfiguration()) {
                    @Override
                    public Charset getCharset() {
                        return StandardCharsets.UTF_8;
                    }
                };
            }
        };
        Encryption encryption = settings.tlsMode().encryption(settings.sslContext());
        DefaultEventLoopGroup protocolThreads = new DefaultEventLoopGroup(settings.protocolThreads(),
            new DefaultThreadFactory("smtp-" + settings.role().name().toLowerCase() + "-" + settings.address().getPort(), true));
        Listener listener = new Listener(protocol, encryption, settings, protocolThreads, gate, replyHold);
        listener.setListenAddresses(settings.address());
        listener.setTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()));
        listener.setIoWorkerCount(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            listener.bind();
        } catch (Exception e) {
            protocolThreads.shutdownGracefully();
            throw e;
        }
        LOGGER.info("SMTP {} listening on {} (TLS: {})", settings.role(), settings.address(), settings.tlsMode());
        return new SmtpServer(settings, listener, protocolThreads, gate);
    }

    public SmtpSettings settings() {
        return settings;
    }

    /**
     * The first half of a graceful stop: from now on new connections and new transactions get {@code 421 4.3.2};
     * returns once the transactions under way have finished, or after {@code timeout}. {@link #close()} follows.
     */
    public void drain(Duration timeout) {
        try {
            int left = gate.drain(timeout);
            if (left > 0) {
                LOGGER.warn("closing with {} SMTP transaction(s) unfinished", left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #drain} then {@link #close()}. */
    public void drainAndClose(Duration timeout) {
        drain(timeout);
        close();
    }

    @Override
    public void close() {
        listener.unbind();
        protocolThreads.shutdownGracefully();
    }

    /** The Netty server: James's pipeline with our framer, and the SMTP handler on the protocol threads. */
    private static final class Listener extends AbstractAsyncServer {
        private final SMTPProtocol protocol;
        private final Encryption encryption;
        private final SmtpSettings settings;
        private final DefaultEventLoopGroup protocolThreads;
        private final ShutdownGate gate;

        private final ReplyHold replyHold;

        Listener(SMTPProtocol protocol, Encryption encryption, SmtpSettings settings, DefaultEventLoopGroup protocolThreads,
                 ShutdownGate gate, ReplyHold replyHold) {
            this.replyHold = replyHold;
            this.protocol = protocol;
            this.encryption = encryption;
            this.settings = settings;
            this.protocolThreads = protocolThreads;
            this.gate = gate;
        }

        @Override
        protected void configureBootstrap(io.netty.bootstrap.ServerBootstrap bootstrap) {
            super.configureBootstrap(bootstrap);
            org.letterbox.net.proxy.ProxyProtocol.useProxiedChannels(bootstrap);
        }

        @Override
        protected ChannelInitializer<SocketChannel> createPipelineFactory() {
            ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
                "421 4.7.0 " + settings.hostname() + " Too many connections, try again later", settings.trustedNetworks());
            int timeout = getTimeout();
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel accepted) {
                    settings.proxyProtocol().initialize(accepted, channel -> build((SocketChannel) channel));
                }

                private void build(SocketChannel channel) {
                    ChannelPipeline pipeline = channel.pipeline();
                    if (gate.isDraining()) {
                        channel.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(gate.refusal() + "\r\n",
                            StandardCharsets.US_ASCII)).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                        return;
                    }
                    gate.track(channel);
                    if (encryption != null && !encryption.isStartTLS()) {
                        pipeline.addLast(HandlerConstants.SSL_HANDLER, encryption.sslHandler());
                    }
                    pipeline.addLast(HandlerConstants.CONNECTION_LIMIT_HANDLER, limiter);
                    pipeline.addLast("replyHold", replyHold.handler());
                    pipeline.addLast(protocolThreads, HandlerConstants.FRAMER,
                        new CrlfLineFrameDecoder(settings.maxCommandLineLength(), settings.maxDataLineLength(),
                            settings.commandTimeout(), settings.dataTimeout()));
                    pipeline.addLast(HandlerConstants.CHUNK_HANDLER, new ChunkedWriteHandler());
                    pipeline.addLast(HandlerConstants.TIMEOUT_HANDLER, new TimeoutHandler(timeout));
                    pipeline.addLast("errorLimit", new ProtocolGuards.ErrorLimit(settings.maxProtocolErrors()));
                    pipeline.addLast(protocolThreads, HandlerConstants.CORE_HANDLER,
                        new BasicChannelInboundHandler(new ProtocolMDCContextFactory.Standard(), protocol, encryption, false));
                }
            };
        }
    }
}
