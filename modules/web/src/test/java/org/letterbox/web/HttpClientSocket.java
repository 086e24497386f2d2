package org.letterbox.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.letterbox.testing.TestTls;

/** HTTP/1.1 as bytes on a socket, so that a test says exactly what is sent, Host header included. */
final class HttpClientSocket {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private HttpClientSocket() {
    }

    static Socket open(int port, boolean tls) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        if (!tls) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        socket.startHandshake();
        return socket;
    }

    static Response exchange(int port, boolean tls, String request) throws IOException {
        return exchange(port, tls, request.getBytes(StandardCharsets.UTF_8));
    }

    static Response exchange(int port, boolean tls, byte[] request) throws IOException {
        try (Socket socket = open(port, tls)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    static Response get(int port, String host, String target) throws IOException {
        return exchange(port, true, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response: '" + text + "'");
        }
        String[] head = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
