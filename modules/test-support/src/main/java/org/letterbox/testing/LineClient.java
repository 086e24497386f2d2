package org.letterbox.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A raw line-oriented client for transcript tests: send exact bytes, read CRLF-terminated lines, upgrade to TLS
 * in place. Every read has a timeout, so a test never hangs.
 */
public final class LineClient implements AutoCloseable {

    private Socket socket;
    private UnsynchronizedBuffer in;
    private OutputStream out;

    private LineClient(Socket socket) throws IOException {
        attach(socket);
    }

    private void attach(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        // like real mail clients: a command written in pieces (APPEND and its literal) must not wait on Nagle
        socket.setTcpNoDelay(true);
        this.in = new UnsynchronizedBuffer(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static LineClient connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    /** Connects to {@code host} (127.0.0.2, ... for a server listening on another loopback address). */
    public static LineClient connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return new LineClient(socket);
    }

    /** Connects from the loopback address {@code from}, so a test can play a host other than the sender's. */
    public static LineClient connectFrom(String from, String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return new LineClient(socket);
    }

    public static LineClient connectTls(int port) throws IOException {
        SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.startHandshake();
        return new LineClient(socket);
    }

    /** Wraps the current connection in TLS (after the server said yes to STARTTLS/STLS). */
    public void startTls() throws IOException {
        startTls(TestTls.clientContext());
    }

    /** Wraps the current connection in TLS, trusting what {@code context} trusts. */
    public void startTls(SSLContext context) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        attach(tls);
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public LineClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Sends {@code line} followed by CRLF. */
    public LineClient send(String line) throws IOException {
        return sendRaw(line + "\r\n");
    }

    public LineClient sendRaw(String data) throws IOException {
        return sendBytes(data.getBytes(StandardCharsets.UTF_8));
    }

    public LineClient sendBytes(byte[] data) throws IOException {
        out.write(data);
        out.flush();
        return this;
    }

    /** The next line, without its CRLF; null at end of stream. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** Reads an SMTP reply (all its continuation lines) and returns the last line. */
    public String readReply() throws IOException {
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    /** Reads a multi-line SMTP reply whole, lines joined by newlines. */
    public String readFullReply() throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = readLine();
            if (line == null) {
                break;
            }
            all.append(line).append('\n');
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString();
    }

    /** Sends a line and returns the (last line of the) reply. */
    /** Reads lines up to the IMAP reply tagged {@code tag} and returns that line; null if the connection ends first. */
    public String readTagged(String tag) throws IOException {
        String line;
        do {
            line = readLine();
        } while (line != null && !line.startsWith(tag + " "));
        return line;
    }

    public String command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A read buffer without BufferedInputStream's lock per byte: load runs read many lines through this client. */
    private static final class UnsynchronizedBuffer extends InputStream {
        private final InputStream source;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        UnsynchronizedBuffer(InputStream source) {
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            if (position == limit) {
                int count = source.read(buffer, 0, buffer.length);
                if (count <= 0) {
                    return -1;
                }
                position = 0;
                limit = count;
            }
            return buffer[position++] & 0xff;
        }

        /** Scans the buffer for CRLF rather than going through {@link #read()} byte by byte. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == limit) {
                    int count = source.read(buffer, 0, buffer.length);
                    if (count <= 0) {
                        return line == null || line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                    }
                    position = 0;
                    limit = count;
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                if (position == limit) {
                    if (line == null) {
                        line = new ByteArrayOutputStream();
                    }
                    line.write(buffer, start, limit - start);
                    continue;
                }
                int end = position++;
                if (line == null) {
                    if (end > start && buffer[end - 1] == '\r') {
                        return new String(buffer, start, end - 1 - start, StandardCharsets.UTF_8);
                    }
                    line = new ByteArrayOutputStream();
                }
                line.write(buffer, start, end - start);
                byte[] bytes = line.toByteArray();
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                // a bare LF is part of the line
                line.write('\n');
            }
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
