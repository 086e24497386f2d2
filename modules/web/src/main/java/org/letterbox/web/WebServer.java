package org.letterbox.web;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.netty.bootstrap.ServerBootstrap;
import org.letterbox.net.proxy.ProxiedServerSocketChannel;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import org.letterbox.net.ConnectionLimiter;
import org.letterbox.net.TrustedNetworks;
import org.letterbox.net.login.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS listener (and the plain HTTP one for ACME and redirects). One request per connection: the request must
 * arrive whole within {@link WebSettings#requestTimeoutSeconds()}, its head within {@link WebSettings#maxHeaderBytes()}
 * and its body within {@link WebSettings#maxRequestBytes()}; then it is answered and the connection closed. Requests
 * are routed on a small executor of their own, since a domain lookup may read the store.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WebServer.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final EventLoopGroup loop;
    private final EventExecutorGroup routing;
    private final List<Channel> channels = new ArrayList<>();
    private final WebRouter router;
    private final WebSettings settings;
    private final AcmeChallenges challenges;

    private WebServer(WebSettings settings, ClientSettings clients, LocalDomains domains, AcmeChallenges challenges) {
        this.settings = settings;
        this.challenges = challenges;
        this.router = new WebRouter(clients, domains, challenges, settings, this::httpsPort);
        this.loop = new NioEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("web-io", true));
        this.routing = new DefaultEventExecutorGroup(2, new io.netty.util.concurrent.DefaultThreadFactory("web-routing", true));
    }

    /** Opens the HTTPS listener with {@code tls}, and the HTTP one unless its port is -1. */
    public static WebServer start(WebSettings settings, ClientSettings clients, LocalDomains domains,
                                  AcmeChallenges challenges, SSLContext tls) {
        WebServer server = new WebServer(settings, clients, domains, challenges);
        try {
            server.listen(settings.address(), settings.httpsPort(), tls);
            if (settings.httpPort() >= 0) {
                server.listen(settings.httpAddress(), settings.httpPort(), null);
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen(String address, int port, SSLContext tls) {
        String refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n";
        ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
            refusal, TrustedNetworks.loopback());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(ProxiedServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel accepted) {
                    settings.proxyProtocol().initialize(accepted, this::build);
                }

                private void build(Channel channel) {
                    channel.pipeline().addLast("limiter", limiter);
                    channel.pipeline().addLast("deadline", new RequestDeadline(settings.requestTimeoutSeconds()));
                    if (tls != null) {
                        channel.pipeline().addLast("tls", new ChallengeAwareTls(tls, challenges, PROTOCOLS));
                    }
                    channel.pipeline().addLast("http", new HttpServerCodec(settings.maxHeaderBytes(), settings.maxHeaderBytes(), 8192));
                    channel.pipeline().addLast("body", new BoundedBody(settings.maxRequestBytes()));
                    channel.pipeline().addLast(routing, "route", new RequestHandler(tls != null));
                }
            });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(address, port)).sync().channel();
            channels.add(channel);
            LOGGER.info("web: {} listening on {}", tls != null ? "HTTPS" : "HTTP", channel.localAddress());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address + ":" + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + address + ":" + port + " (" + e.getMessage() + ")", e);
        }
    }

    /** The HTTPS port (the one bound, when 0 was asked for). */
    public int httpsPort() {
        return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
    }

    /** The HTTP port, or -1 when there is none. */
    public int httpPort() {
        return channels.size() > 1 ? ((InetSocketAddress) channels.get(1).localAddress()).getPort() : -1;
    }

    /** The MTA-STS policy every local domain gets. */
    public MtaStsPolicyFile mtaStsPolicy() {
        return router.policy();
    }

    @Override
    public void close() {
        channels.forEach(channel -> channel.close().awaitUninterruptibly());
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        routing.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A whole request body, up to a limit: a larger one gets 413 and the connection is closed, the body unread. */
    private static final class BoundedBody extends HttpObjectAggregator {
        BoundedBody(int maxBytes) {
            super(maxBytes, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
            LOGGER.info("web ip={} status=413 (body over the limit)",
                ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress());
            send(ctx, WebResponse.status(413, "Request body too large"), false);
        }
    }

    /** Closes a connection that has not been answered within the time a request may take. */
    private static final class RequestDeadline extends ChannelInboundHandlerAdapter {
        private final int seconds;
        private ScheduledFuture<?> deadline;

        RequestDeadline(int seconds) {
            this.seconds = seconds;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, seconds, TimeUnit.SECONDS);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (deadline != null) {
                deadline.cancel(false);
            }
            super.channelInactive(ctx);
        }
    }

    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final boolean secure;
        private boolean answered;

        RequestHandler(boolean secure) {
            this.secure = secure;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (answered) {
                return;
            }
            answered = true;
            WebResponse response;
            String path = "-";
            if (!request.decoderResult().isSuccess()) {
                response = request.decoderResult().cause() instanceof TooLongFrameException
                    ? WebResponse.status(431, "Request header fields too large")
                    : WebResponse.status(400, "Bad request");
            } else {
                QueryStringDecoder uri = new QueryStringDecoder(request.uri());
                path = uri.path();
                String method = request.method().name();
                byte[] body = new byte[request.content().readableBytes()];
                request.content().readBytes(body);
                response = switch (method) {
                    case "GET", "HEAD", "POST" -> router.route(method, path, uri.parameters(),
                        request.headers().get(HttpHeaderNames.HOST), body, secure);
                    default -> WebResponse.methodNotAllowed("GET, HEAD, POST");
                };
            }
            String ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
            LOGGER.info("web ip={} method={} host={} path={} status={}", ip, LogValue.escape(request.method().name()),
                LogValue.escape(String.valueOf(request.headers().get(HttpHeaderNames.HOST))), LogValue.escape(path),
                response.status());
            send(ctx, response, request.method().name().equals("HEAD"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static void send(ChannelHandlerContext ctx, WebResponse response, boolean head) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CONNECTION, "close");
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        http.headers().set("X-Content-Type-Options", "nosniff");
        if (response.location() != null) {
            http.headers().set(HttpHeaderNames.LOCATION, response.location());
        }
        if (response.allow() != null) {
            http.headers().set(HttpHeaderNames.ALLOW, response.allow());
        }
        if (response.contentType().equals(AppleProfile.CONTENT_TYPE)) {
            http.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"mail.mobileconfig\"");
        }
        ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
}
