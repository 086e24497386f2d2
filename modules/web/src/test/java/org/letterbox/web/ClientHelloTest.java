package org.letterbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The server name and ALPN protocols read from ClientHellos the JDK's own TLS client writes. */
class ClientHelloTest {

    /** The ClientHello a JDK client sends, from its client_version on (TLS record and handshake headers removed). */
    private static byte[] clientHello(String serverName, String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine(serverName == null ? null : serverName, 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (serverName != null) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        parameters.setApplicationProtocols(protocols);
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        assertThat(record[0]).isEqualTo((byte) 22);
        assertThat(record[5]).isEqualTo((byte) 1);
        return java.util.Arrays.copyOfRange(record, 9, record.length);
    }

    @Test
    void theNameAndTheProtocolsAreRead() throws Exception {
        var hello = ChallengeAwareTls.Hello.parse(Unpooled.wrappedBuffer(clientHello("Mail.Example.test", "acme-tls/1")));
        assertThat(hello.serverName()).isEqualTo("mail.example.test");
        assertThat(hello.alpn()).containsExactly("acme-tls/1");

        var browser = ChallengeAwareTls.Hello.parse(Unpooled.wrappedBuffer(clientHello("example.test", "h2", "http/1.1")));
        assertThat(browser.alpn()).containsExactly("h2", "http/1.1");
    }

    @Test
    void aHelloWithoutExtensionsOrCutShortGivesWhatItHas() throws Exception {
        var plain = ChallengeAwareTls.Hello.parse(Unpooled.wrappedBuffer(clientHello(null)));
        assertThat(plain.serverName()).isNull();
        assertThat(plain.alpn()).isEmpty();
        byte[] full = clientHello("mail.example.test", "acme-tls/1");
        for (int cut = 0; cut < full.length; cut += 7) {
            ChallengeAwareTls.Hello.parse(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(full, cut)));
        }
    }
}
