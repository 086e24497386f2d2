package org.letterbox.smtp;

import java.time.Duration;
import java.util.List;

import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.letterbox.net.NoReverseLookups;
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
import io.netty.channel.socket.SocketChannel;

/**
 * One SMTP listener (MX, submission or submissions) over the store, on James's SMTP handler chain.
 *
 * <p>Threads: this listener's own Netty I/O loops ({@link SmtpSettings#protocolThreads()} of them) read, frame and
 * answer, and run the SMTP state machine; every store call is handed to the store's executor, and a session waits on
 * its loop only for the answer (the durable commit at the end of DATA, say). They are not handed to a second group of
 * threads: the handlers between the framer and the SMTP handler would then pass every line, each line of DATA too,
 * from one thread to the other and back (a sixth fewer messages a second at 32 senders, measured).
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(SmtpServer.class);

    static {
        NoReverseLookups.apply();
    }

    private final SmtpSettings settings;
    private final Listener listener;
    private final ShutdownGate gate;

    private SmtpServer(SmtpSettings settings, Listener listener, ShutdownGate gate) {
        this.settings = settings;
        this.listener = listener;
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
        Listener listener = new Listener(protocol, encryption, settings, gate, replyHold);
        listener.setListenAddresses(settings.address());
        listener.setTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()));
        listener.setIoWorkerCount(settings.protocolThreads());
        listener.bind();
        LOGGER.info("SMTP {} listening on {} (TLS: {})", settings.role(), settings.address(), settings.tlsMode());
        return new SmtpServer(settings, listener, gate);
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
    }

    /** The Netty server: James's pipeline with our framer, all of it on the connection's I/O loop. */
    private static final class Listener extends AbstractAsyncServer {
        private final SMTPProtocol protocol;
        private final Encryption encryption;
        private final SmtpSettings settings;
        private final ShutdownGate gate;

        private final ReplyHold replyHold;

        Listener(SMTPProtocol protocol, Encryption encryption, SmtpSettings settings, ShutdownGate gate,
                 ReplyHold replyHold) {
            this.replyHold = replyHold;
            this.protocol = protocol;
            this.encryption = encryption;
            this.settings = settings;
            this.gate = gate;
            // names the I/O threads, e.g. smtp-mx-25-io-3 (James leaves it null)
            this.jmxName = "smtp-" + settings.role().name().toLowerCase(java.util.Locale.ROOT) + "-" + settings.address().getPort();
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
                    pipeline.addLast(HandlerConstants.FRAMER,
                        new CrlfLineFrameDecoder(settings.maxCommandLineLength(), settings.maxDataLineLength(),
                            settings.commandTimeout(), settings.dataTimeout()));
                    pipeline.addLast(HandlerConstants.CHUNK_HANDLER, new ChunkedWriteHandler());
                    pipeline.addLast(HandlerConstants.TIMEOUT_HANDLER, new TimeoutHandler(timeout));
                    pipeline.addLast("errorLimit", new ProtocolGuards.ErrorLimit(settings.maxProtocolErrors()));
                    pipeline.addLast(HandlerConstants.CORE_HANDLER,
                        new BasicChannelInboundHandler(new ProtocolMDCContextFactory.Standard(), protocol, encryption, false));
                }
            };
        }
    }
}
