package org.letterbox.net;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;

/**
 * James's Netty {@link Encryption} for one listener: server-side TLS engines with the protocol versions every
 * listener offers. For an in-place upgrade (STARTTLS, STLS) its TLS handler tells {@link TlsUpgradePause} when it
 * has been added to the pipeline, so that reading resumes exactly then.
 */
final class ListenerEncryption implements Encryption {

    private final SSLContext context;
    private final boolean startTls;
    private final String[] protocols;

    ListenerEncryption(SSLContext context, boolean startTls, String[] protocols) {
        this.context = context;
        this.startTls = startTls;
        this.protocols = protocols.clone();
    }

    @Override
    public boolean isStartTLS() {
        return startTls;
    }

    @Override
    public boolean supportsEncryption() {
        return context != null;
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return null;
    }

    @Override
    public ClientAuth getClientAuth() {
        return ClientAuth.NONE;
    }

    @Override
    public SslHandler sslHandler() {
        SSLEngine engine = context.createSSLEngine();
        engine.setEnabledProtocols(protocols.clone());
        engine.setUseClientMode(false);
        if (!startTls) {
            return new SslHandler(engine);
        }
        return new SslHandler(engine) {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
                super.handlerAdded(ctx);
                TlsUpgradePause.tlsInPlace(ctx.channel());
            }
        };
    }
}
