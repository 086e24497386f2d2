package org.letterbox.pop3;

import java.util.List;

import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerChainImpl;
import org.apache.james.protocols.netty.AbstractAsyncServer;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.apache.james.protocols.netty.TimeoutHandler;
import org.apache.james.protocols.api.ProtocolConfiguration;
import org.apache.james.protocols.pop3.POP3Protocol;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.core.DeleCmdHandler;
import org.apache.james.protocols.pop3.core.ListCmdHandler;
import org.apache.james.protocols.pop3.core.NoopCmdHandler;
import org.apache.james.protocols.pop3.core.QuitCmdHandler;
import org.apache.james.protocols.pop3.core.RsetCmdHandler;
import org.apache.james.protocols.pop3.core.StatCmdHandler;
import org.apache.james.protocols.pop3.core.StlsCmdHandler;
import org.apache.james.protocols.pop3.core.TopCmdHandler;
import org.apache.james.protocols.pop3.core.UidlCmdHandler;
import org.apache.james.protocols.pop3.core.UnknownCmdHandler;
import org.apache.james.protocols.pop3.core.UserCmdHandler;
import org.apache.james.protocols.pop3.core.WelcomeMessageHandler;
import org.letterbox.net.NoReverseLookups;
import org.letterbox.net.ConnectionLimiter;
import org.letterbox.net.PreAuthConnections;
import org.letterbox.net.PreAuthIdleTimeout;
import org.letterbox.net.login.ReplyHold;
import org.letterbox.store.MailStore;
import org.letterbox.store.metrics.NoopMetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One POP3 listener (110 with STLS, or 995 with implicit TLS) over users' INBOXes. James 3.8.1 ships no production
 * POP3 handler chain, so it is assembled here from James's command handlers and ours (CAPA, PASS, AUTH PLAIN).
 */
public final class Pop3Server implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(Pop3Server.class);

    static {
        NoReverseLookups.apply();
    }

    private final Listener listener;
    private final DefaultEventLoopGroup protocolThreads;

    private Pop3Server(Listener listener, DefaultEventLoopGroup protocolThreads) {
        this.listener = listener;
        this.protocolThreads = protocolThreads;
    }

    public static Pop3Server start(Pop3Settings settings, MailStore store) throws Exception {
        NoopMetricFactory metrics = NoopMetricFactory.INSTANCE;
        ReplyHold replyHold = new ReplyHold();
        Pop3Login login = new Pop3Login(store, settings, replyHold);
        ProtocolHandlerChainImpl chain = new ProtocolHandlerChainImpl();
        List<ProtocolHandler> handlers = List.of(
            new CommandDispatcher<POP3Session>(),
            new Pop3Commands.Capa(login),
            new UserCmdHandler(metrics),
            new Pop3Commands.Pass(metrics, login),
            new Pop3Commands.AuthPlain(login),
            new ListCmdHandler(metrics),
            new UidlCmdHandler(metrics),
            new RsetCmdHandler(metrics),
            new DeleCmdHandler(metrics),
            new NoopCmdHandler(metrics),
            new DotStuffedRetr(),
            new TopCmdHandler(metrics),
            new StatCmdHandler(metrics),
            new QuitCmdHandler(metrics),
            new StlsCmdHandler(metrics),
            new WelcomeMessageHandler(),
            new UnknownCmdHandler(),
            new Pop3Commands.CloseOnDisconnect());
        for (ProtocolHandler handler : handlers) {
            chain.add(handler);
        }
        chain.wireExtensibleHandlers();
        ProtocolConfiguration configuration = new ProtocolConfiguration() {
            @Override
            public String getGreeting() {
                return settings.hostname() + " POP3 Letterbox ready";
            }

            @Override
            public String getSoftwareName() {
                return "Letterbox";
            }

            @Override
            public String getHelloName() {
                return settings.hostname();
            }
        };
        POP3Protocol protocol = new POP3Protocol(chain, configuration);

        Encryption encryption = settings.tlsMode().encryption(settings.sslContext());
        DefaultEventLoopGroup protocolThreads = new DefaultEventLoopGroup(settings.protocolThreads(),
            new DefaultThreadFactory("pop3-" + settings.address().getPort(), true));
        Listener listener = new Listener(settings, protocol, encryption, protocolThreads, replyHold);
        listener.setListenAddresses(settings.address());
        listener.setTimeout((int) settings.idleTimeout().toSeconds());
        listener.setIoWorkerCount(2);
        try {
            listener.bind();
        } catch (Exception e) {
            protocolThreads.shutdownGracefully();
            throw e;
        }
        LOGGER.info("POP3 listening on {} (TLS: {})", settings.address(), settings.tlsMode());
        return new Pop3Server(listener, protocolThreads);
    }

    private static boolean loggedIn(io.netty.channel.Channel channel) {
        return channel.attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get() instanceof POP3Session session
            && session.getHandlerState() == POP3Session.TRANSACTION;
    }

    @Override
    public void close() {
        listener.unbind();
        protocolThreads.shutdownGracefully();
    }

    /** Like {@link #close()} without waiting for the I/O threads (for tests). */
    public void closeNow() {
        listener.setGracefulShutdown(false);
        close();
    }

    private static final class Listener extends AbstractAsyncServer {
        private final Pop3Settings settings;
        private final POP3Protocol protocol;
        private final Encryption encryption;
        private final DefaultEventLoopGroup protocolThreads;
        private final ReplyHold replyHold;

        Listener(Pop3Settings settings, POP3Protocol protocol, Encryption encryption, DefaultEventLoopGroup protocolThreads,
                 ReplyHold replyHold) {
            this.replyHold = replyHold;
            this.settings = settings;
            this.protocol = protocol;
            this.encryption = encryption;
            this.protocolThreads = protocolThreads;
        }

        @Override
        protected void configureBootstrap(io.netty.bootstrap.ServerBootstrap bootstrap) {
            super.configureBootstrap(bootstrap);
            org.letterbox.net.proxy.ProxyProtocol.useProxiedChannels(bootstrap);
        }

        @Override
        protected ChannelInitializer<SocketChannel> createPipelineFactory() {
            ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
                "-ERR [SYS/TEMP] Too many connections, try again later", settings.trustedNetworks());
            PreAuthConnections preAuth = new PreAuthConnections(settings.maxPreAuthConnectionsPerIp(), settings.trustedNetworks(),
                "-ERR [SYS/TEMP] Too many connections not logged in from your address, try again later", Pop3Server::loggedIn);
            int timeout = getTimeout();
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel accepted) {
                    settings.proxyProtocol().initialize(accepted, channel -> build((SocketChannel) channel));
                }

                private void build(SocketChannel channel) {
                    ChannelPipeline pipeline = channel.pipeline();
                    if (encryption != null && !encryption.isStartTLS()) {
                        pipeline.addLast(HandlerConstants.SSL_HANDLER, encryption.sslHandler());
                    }
                    pipeline.addLast(HandlerConstants.CONNECTION_LIMIT_HANDLER, limiter);
                    pipeline.addLast("preAuthLimit", preAuth);
                    pipeline.addLast("replyHold", replyHold.handler());
                    // From the framer to the POP3 handler, one protocol thread: a handler left on the I/O thread
                    // between them would send every command line over to it and back
                    pipeline.addLast(protocolThreads, HandlerConstants.FRAMER, new StlsLineFramer(8192));
                    pipeline.addLast(protocolThreads, HandlerConstants.CHUNK_HANDLER, new ChunkedWriteHandler());
                    pipeline.addLast(protocolThreads, HandlerConstants.TIMEOUT_HANDLER, new TimeoutHandler(timeout));
                    // RFC 1939's ten-minute autologout is for sessions that have logged in
                    pipeline.addLast(protocolThreads, "preAuthTimeout", new PreAuthIdleTimeout(settings.preAuthIdleTimeout(),
                        Pop3Server::loggedIn, "-ERR Autologout; no login in time"));
                    pipeline.addLast(protocolThreads, HandlerConstants.CORE_HANDLER,
                        new BasicChannelInboundHandler(new ProtocolMDCContextFactory.Standard(), protocol, encryption, false));
                }
            };
        }
    }
}
