package org.letterbox.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.letterbox.testing.LineClient;

/** A transcript-style IMAP client: each command returns every line the server sent up to its tagged reply. */
final class ImapClient implements AutoCloseable {

    private final LineClient lines;
    private final AtomicInteger tags = new AtomicInteger();
    final String greeting;

    private ImapClient(LineClient lines) throws IOException {
        this.lines = lines;
        this.greeting = lines.readLine();
    }

    static ImapClient connect(int port) throws IOException {
        return new ImapClient(LineClient.connect(port));
    }

    static ImapClient connectTls(int port) throws IOException {
        return new ImapClient(LineClient.connectTls(port));
    }

    LineClient raw() {
        return lines;
    }

    /** Sends {@code command} with a fresh tag; returns all lines up to and including the tagged one. */
    List<String> command(String command) throws IOException {
        String tag = "a" + tags.incrementAndGet();
        lines.send(tag + " " + command);
        return readUntilTagged(tag);
    }

    List<String> readUntilTagged(String tag) throws IOException {
        List<String> response = new ArrayList<>();
        while (true) {
            String line = lines.readLine();
            if (line == null) {
                throw new IOException("connection closed; got " + response);
            }
            response.add(line);
            if (line.startsWith(tag + " ")) {
                return response;
            }
        }
    }

    /** The tagged (last) line of a response. */
    static String tagged(List<String> response) {
        return response.get(response.size() - 1);
    }

    /** The status of a response's tagged line, exactly: "OK", "NO" or "BAD" (the word after the tag). */
    static String status(List<String> response) {
        String[] words = tagged(response).split(" ", 3);
        return words.length > 1 ? words[1] : "";
    }

    /** Sends a command whose text ends in a synchronizing literal: waits for the continuation, then sends it. */
    List<String> commandWithLiteral(String prefix, byte[] literal, String suffix) throws IOException {
        String tag = "a" + tags.incrementAndGet();
        lines.send(tag + " " + prefix + "{" + literal.length + "}");
        String continuation = lines.readLine();
        if (continuation == null || !continuation.startsWith("+")) {
            List<String> response = new ArrayList<>();
            response.add(continuation);
            if (continuation != null && !continuation.startsWith(tag + " ")) {
                response.addAll(readUntilTagged(tag));
            }
            return response;
        }
        lines.sendBytes(literal);
        lines.send(suffix);
        return readUntilTagged(tag);
    }

    List<String> login(String user, String password) throws IOException {
        return command("LOGIN " + user + " " + password);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
