package org.letterbox.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * Chooses the TLS engine of an HTTPS connection from its ClientHello: a connection that asks for the
 * {@code acme-tls/1} protocol (ALPN) for a name with a tls-alpn-01 challenge under way (RFC 8737) gets the
 * challenge's certificate and that protocol; every other one the server's certificate.
 */
final class ChallengeAwareTls extends SslClientHelloHandler<SSLEngine> {

    static final String ACME_TLS_1 = "acme-tls/1";
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(ChallengeAwareTls.class);

    private final SSLContext normal;
    private final AcmeChallenges challenges;
    private final String[] protocols;

    ChallengeAwareTls(SSLContext normal, AcmeChallenges challenges, String[] protocols) {
        this.normal = normal;
        this.challenges = challenges;
        this.protocols = protocols.clone();
    }

    @Override
    protected Future<SSLEngine> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        Hello hello = clientHello == null ? new Hello(null, List.of()) : Hello.parse(clientHello);
        SSLEngine engine;
        Optional<SSLContext> challenge = hello.alpn().contains(ACME_TLS_1) && hello.serverName() != null
            ? challenges.tlsAlpn(hello.serverName()) : Optional.empty();
        if (challenge.isPresent()) {
            LOGGER.info("web: acme-tls/1 validation certificate for {} shown to {}", hello.serverName(), ctx.channel().remoteAddress());
            engine = challenge.get().createSSLEngine();
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains(ACME_TLS_1) ? ACME_TLS_1 : null);
        } else {
            engine = normal.createSSLEngine();
        }
        engine.setUseClientMode(false);
        engine.setEnabledProtocols(protocols.clone());
        return ctx.executor().newSucceededFuture(engine);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<SSLEngine> future) {
        if (!future.isSuccess()) {
            ctx.close();
            return;
        }
        ctx.pipeline().replace(this, "tls", new SslHandler(future.getNow()));
    }

    /** What a ClientHello asks for: the server name (SNI) and the application protocols (ALPN). */
    record Hello(String serverName, List<String> alpn) {

        private static final int SERVER_NAME = 0;
        private static final int APPLICATION_LAYER_PROTOCOL_NEGOTIATION = 16;

        /** Reads from {@code client_version} on (RFC 8446 §4.1.2); anything malformed gives what was read so far. */
        static Hello parse(ByteBuf hello) {
            String name = null;
            List<String> alpn = new ArrayList<>();
            int at = hello.readerIndex();
            int end = hello.writerIndex();
            try {
                at += 2 + 32;
                at += 1 + hello.getUnsignedByte(at);
                at += 2 + hello.getUnsignedShort(at);
                at += 1 + hello.getUnsignedByte(at);
                int extensionsEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
                at += 2;
                while (at + 4 <= extensionsEnd) {
                    int type = hello.getUnsignedShort(at);
                    int length = hello.getUnsignedShort(at + 2);
                    int data = at + 4;
                    if (data + length > extensionsEnd) {
                        break;
                    }
                    if (type == SERVER_NAME && length >= 5 && hello.getUnsignedByte(data + 2) == 0) {
                        int nameLength = hello.getUnsignedShort(data + 3);
                        if (data + 5 + nameLength <= data + length) {
                            name = hello.toString(data + 5, nameLength, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                        }
                    } else if (type == APPLICATION_LAYER_PROTOCOL_NEGOTIATION && length >= 2) {
                        int listEnd = Math.min(data + length, data + 2 + hello.getUnsignedShort(data));
                        for (int p = data + 2; p < listEnd; ) {
                            int protocolLength = hello.getUnsignedByte(p);
                            if (p + 1 + protocolLength > listEnd) {
                                break;
                            }
                            alpn.add(hello.toString(p + 1, protocolLength, StandardCharsets.US_ASCII));
                            p += 1 + protocolLength;
                        }
                    }
                    at = data + length;
                }
            } catch (IndexOutOfBoundsException e) {
                // a truncated hello: what was read stands
            }
            return new Hello(name, List.copyOf(alpn));
        }
    }
}
