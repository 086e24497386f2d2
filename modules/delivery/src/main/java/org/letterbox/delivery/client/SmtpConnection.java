package org.letterbox.delivery.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One connection to an SMTP server: commands out, replies in, an upgrade to TLS. Blocking; used by one delivery
 * thread at a time. Every read waits at most the timeout given for it; every write of message data at most
 * {@link SmtpTimeouts#dataBlock()}, after which the connection is closed under the writer.
 */
public final class SmtpConnection implements AutoCloseable {

    /** Longest reply line we read (RFC 5321 allows 512 octets; servers send more in practice). */
    static final int MAX_REPLY_LINE = 4096;
    /** Most lines of one reply (an EHLO reply has a dozen). */
    static final int MAX_REPLY_LINES = 200;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "smtp-client-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /** What TLS a connection got. */
    public record TlsInfo(String protocol, String cipherSuite, boolean verified) {
        @Override
        public String toString() {
            return protocol + " " + cipherSuite + (verified ? " verified" : " unverified");
        }
    }

    private final SmtpTimeouts timeouts;
    private final InetSocketAddress peer;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private TlsInfo tls;

    private SmtpConnection(Socket socket, InetSocketAddress peer, SmtpTimeouts timeouts) throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.timeouts = timeouts;
        attach(socket);
    }

    /** Connects to {@code peer}, from {@code source} when one is given. */
    public static SmtpConnection open(InetSocketAddress peer, Optional<InetAddress> source, SmtpTimeouts timeouts)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            if (source.isPresent()) {
                socket.bind(new InetSocketAddress(source.get(), 0));
            }
            socket.connect(peer, (int) timeouts.connect().toMillis());
            return new SmtpConnection(socket, peer, timeouts);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void attach(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /** The TLS in use, empty before STARTTLS. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /** Reads the server's greeting. */
    public SmtpReply greeting() throws IOException {
        return read(timeouts.greeting());
    }

    /** Sends one command line and reads its reply, waiting {@link SmtpTimeouts#command()}. */
    public SmtpReply command(String line) throws IOException {
        return command(line, timeouts.command());
    }

    public SmtpReply command(String line, Duration timeout) throws IOException {
        send(line);
        flush();
        return read(timeout);
    }

    /** Queues one command line; {@link #flush()} sends what is queued (PIPELINING). */
    public void send(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a command line cannot hold a line break");
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    public void flush() throws IOException {
        guarded(() -> out.flush());
    }

    /** Reads one reply, waiting at most {@code timeout} for each of its lines. */
    public SmtpReply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpProtocolException("not an SMTP reply line: " + printable(line));
            }
            int lineCode = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && lineCode != code) {
                throw new SmtpProtocolException("reply lines with different codes: " + code + " and " + lineCode);
            }
            code = lineCode;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (lines.size() > MAX_REPLY_LINES) {
                throw new SmtpProtocolException("reply of more than " + MAX_REPLY_LINES + " lines");
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new SmtpTimeoutException("no reply within the timeout");
            }
            if (b < 0) {
                throw new SmtpProtocolException("connection closed by the server");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_REPLY_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_REPLY_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /**
     * Turns the connection into TLS (after the server's 220 to STARTTLS). {@code context} decides what is trusted;
     * {@code serverName} goes out as SNI and, when {@code checkName}, must be a name of the certificate.
     */
    public TlsInfo startTls(SSLContext context, String serverName, boolean checkName, boolean verified) throws IOException {
        SSLSocket tlsSocket = (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, peer.getPort(), true);
        tlsSocket.setUseClientMode(true);
        SSLParameters parameters = tlsSocket.getSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (isHostName(serverName)) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        if (checkName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tlsSocket.setSSLParameters(parameters);
        tlsSocket.setSoTimeout((int) timeouts.command().toMillis());
        guarded(tlsSocket::startHandshake);
        attach(tlsSocket);
        tls = new TlsInfo(tlsSocket.getSession().getProtocol(), tlsSocket.getSession().getCipherSuite(), verified);
        return tls;
    }

    private static boolean isHostName(String name) {
        return name != null && !name.isEmpty() && name.indexOf(':') < 0 && !name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** Writes message bytes (already dot-stuffed); each write may take at most {@link SmtpTimeouts#dataBlock()}. */
    public OutputStream dataOutput() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                guarded(() -> out.write(bytes, offset, length));
            }

            @Override
            public void flush() throws IOException {
                SmtpConnection.this.flush();
            }
        };
    }

    public SmtpTimeouts timeouts() {
        return timeouts;
    }

    private interface Io {
        void run() throws IOException;
    }

    /** Runs a write that could block on a peer that reads nothing; closes the socket when it takes too long. */
    private void guarded(Io io) throws IOException {
        Socket current = socket;
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
            try {
                current.close();
            } catch (IOException e) {
                // closing anyway
            }
        }, timeouts.dataBlock().toMillis(), TimeUnit.MILLISECONDS);
        try {
            io.run();
        } catch (IOException e) {
            if (alarm.isDone() && !alarm.isCancelled()) {
                throw new SmtpTimeoutException("the server took no data within the timeout");
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    /** Says QUIT (waiting briefly for the answer) and closes. */
    public void quit() {
        try {
            command("QUIT", Duration.ofSeconds(Math.min(10, timeouts.command().toSeconds())));
        } catch (IOException | RuntimeException e) {
            // the transaction is over either way
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(cp -> out.appendCodePoint(cp < ' ' || cp == 0x7f ? '?' : cp));
        return out.toString();
    }

    /** The server broke the protocol or went away. */
    public static class SmtpProtocolException extends IOException {
        public SmtpProtocolException(String message) {
            super(message);
        }
    }

    /** The server did not answer, or did not take data, in time. */
    public static final class SmtpTimeoutException extends SmtpProtocolException {
        public SmtpTimeoutException(String message) {
            super(message);
        }
    }
}
