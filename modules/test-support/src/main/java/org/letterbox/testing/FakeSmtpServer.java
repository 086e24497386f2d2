package org.letterbox.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;


/**
 * A receiving SMTP server for the error paths of delivery tests: what it announces and how it answers each command
 * are set by the test (4xx, 5xx, a dropped connection, a stall, no STARTTLS), and it records every command and
 * every message it took. For the good path, tests use a real second Letterbox.
 */
public final class FakeSmtpServer implements AutoCloseable {

    /** A reply that closes the connection instead of answering. */
    public static final String DROP = "<drop>";
    /** A reply that never comes: the server stops reading and answering. */
    public static final String STALL = "<stall>";

    /** One message taken: the envelope as sent and the bytes after un-dot-stuffing. */
    public record Received(String mailFrom, List<String> rcptTo, byte[] data, boolean tls) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket socket;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile String greeting = "220 fake.test ESMTP";
    private volatile List<String> extensions = new ArrayList<>(List.of("PIPELINING", "8BITMIME", "SIZE 10000000",
        "ENHANCEDSTATUSCODES", "SMTPUTF8", "DSN"));
    private volatile SSLContext tls = TestTls.serverContext();
    private volatile Function<String, String> replies = command -> null;
    private volatile boolean closed;
    private volatile boolean brokenTls;
    private volatile boolean implicitTls;
    private volatile boolean authLogin;

    private FakeSmtpServer(ServerSocket socket) {
        this.socket = socket;
    }

    /** Listens on {@code address} (127.0.0.2, 127.0.0.3, ... are all loopback) at {@code port}. */
    public static FakeSmtpServer start(String address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        FakeSmtpServer server = new FakeSmtpServer(socket);
        Thread thread = new Thread(server::accept, "fake-smtp-" + address + ":" + port);
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    public FakeSmtpServer greeting(String line) {
        this.greeting = line;
        return this;
    }

    /** The EHLO keywords after the first line; STARTTLS is added while TLS is offered and not yet on. */
    public FakeSmtpServer extensions(String... keywords) {
        this.extensions = new ArrayList<>(List.of(keywords));
        return this;
    }

    /** Offers STARTTLS with this context; null offers none. */
    public FakeSmtpServer tls(SSLContext context) {
        this.tls = context;
        return this;
    }

    /** Speaks TLS from the first byte (a submissions port, 465), with the context of {@link #tls}. */
    public FakeSmtpServer implicitTls() {
        this.implicitTls = true;
        return this;
    }

    /** Takes AUTH LOGIN the long way (334 prompts for the user and the password), and only that. */
    public FakeSmtpServer authLogin() {
        this.authLogin = true;
        return this;
    }

    /** Says yes to STARTTLS and then sends text instead of a TLS handshake, as a broken server does. */
    public FakeSmtpServer brokenTls() {
        this.brokenTls = true;
        return this;
    }

    /**
     * How to answer: given a command line (or {@code "."} for the end of DATA), the reply line(s), {@link #DROP},
     * {@link #STALL}, or null for the usual answer.
     */
    public FakeSmtpServer replies(Function<String, String> replies) {
        this.replies = replies;
        return this;
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int connections() {
        return connections.get();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                Thread thread = new Thread(() -> serve(client), "fake-smtp-session");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (Socket open = client) {
            Session session = new Session(open);
            session.run();
        } catch (IOException | InterruptedException e) {
            // the client went away, or the test closed us
        }
    }

    private final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tlsOn;
        private String mailFrom;
        private final List<String> rcpts = new ArrayList<>();

        Session(Socket socket) throws IOException {
            if (implicitTls) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
                secure.setUseClientMode(false);
                secure.startHandshake();
                attach(secure);
                tlsOn = true;
            } else {
                attach(socket);
            }
        }

        private void attach(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void run() throws IOException, InterruptedException {
            if (!answer(greeting, "CONNECT")) {
                return;
            }
            while (true) {
                String line = readLine();
                if (line == null) {
                    return;
                }
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                String usual = switch (verb) {
                    case "EHLO" -> ehlo();
                    case "HELO" -> "250 fake.test";
                    case "STARTTLS" -> tls != null && !tlsOn ? "220 2.0.0 go ahead" : "502 5.5.1 no TLS here";
                    case "MAIL" -> "250 2.1.0 ok";
                    case "RCPT" -> mailFrom == null ? "503 5.5.1 MAIL first" : "250 2.1.5 ok";
                    case "DATA" -> rcpts.isEmpty() ? "554 5.5.1 no valid recipients" : "354 go on";
                    case "RSET" -> "250 2.0.0 ok";
                    case "NOOP" -> "250 2.0.0 ok";
                    case "QUIT" -> "221 2.0.0 bye";
                    case "AUTH" -> authLogin ? login(line) : "235 2.7.0 ok";
                    default -> "500 5.5.2 what?";
                };
                String reply = replies.apply(line);
                String chosen = reply == null ? usual : reply;
                if (verb.equals("MAIL")) {
                    mailFrom = chosen.startsWith("2") ? line : null;
                    rcpts.clear();
                } else if (verb.equals("RCPT") && chosen.startsWith("2")) {
                    rcpts.add(line);
                } else if (verb.equals("RSET")) {
                    mailFrom = null;
                    rcpts.clear();
                }
                if (!answer(chosen, line)) {
                    return;
                }
                if (verb.equals("QUIT")) {
                    return;
                }
                if (verb.equals("STARTTLS") && chosen.startsWith("220") && brokenTls) {
                    out.write("this is not TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                if (verb.equals("STARTTLS") && chosen.startsWith("220")) {
                    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
                    secure.setUseClientMode(false);
                    try {
                        secure.startHandshake();
                    } catch (IOException e) {
                        return;
                    }
                    attach(secure);
                    tlsOn = true;
                }
                if (verb.equals("DATA") && chosen.startsWith("354")) {
                    byte[] data = readData();
                    if (data == null) {
                        return;
                    }
                    String end = replies.apply(".");
                    String endReply = end == null ? "250 2.0.0 queued as fake" : end;
                    if (endReply.startsWith("250")) {
                        received.add(new Received(mailFrom, List.copyOf(rcpts), data, tlsOn));
                    }
                    mailFrom = null;
                    rcpts.clear();
                    if (!answer(endReply, ".")) {
                        return;
                    }
                }
            }
        }

        /** AUTH LOGIN: the user and the password each after a 334, recorded decoded as two more commands. */
        private String login(String line) throws IOException {
            if (!line.equalsIgnoreCase("AUTH LOGIN")) {
                return "504 5.5.4 only LOGIN here";
            }
            out.write("334 VXNlcm5hbWU6\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String user = new String(java.util.Base64.getDecoder().decode(readLine().trim()), StandardCharsets.UTF_8);
            out.write("334 UGFzc3dvcmQ6\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String password = new String(java.util.Base64.getDecoder().decode(readLine().trim()), StandardCharsets.UTF_8);
            commands.add("LOGIN " + user + " " + password);
            return "235 2.7.0 ok";
        }

        private String ehlo() {
            StringBuilder reply = new StringBuilder("250-fake.test hello");
            List<String> keywords = new ArrayList<>(extensions);
            if (tls != null && !tlsOn) {
                keywords.add("STARTTLS");
            }
            for (int i = 0; i < keywords.size(); i++) {
                reply.append("\r\n250").append(i == keywords.size() - 1 ? ' ' : '-').append(keywords.get(i));
            }
            return keywords.isEmpty() ? "250 fake.test hello" : reply.toString();
        }

        /** Writes the reply; false when the connection is to end. */
        private boolean answer(String reply, String to) throws IOException, InterruptedException {
            if (DROP.equals(reply)) {
                socket.close();
                return false;
            }
            if (STALL.equals(reply)) {
                while (!closed && !socket.isClosed()) {
                    Thread.sleep(50);
                }
                return false;
            }
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            return null;
        }

        /** The message up to the lone dot, un-dot-stuffed, each line with its CRLF. */
        private byte[] readData() throws IOException {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    if (bytes.length == 3 && bytes[0] == '.' && bytes[1] == '\r') {
                        return data.toByteArray();
                    }
                    int from = bytes.length > 1 && bytes[0] == '.' ? 1 : 0;
                    data.write(bytes, from, bytes.length - from);
                }
            }
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
