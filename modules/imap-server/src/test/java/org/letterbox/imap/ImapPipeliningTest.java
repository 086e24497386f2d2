package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelined commands, each answered exactly once, in order, with its own tag and the exact bytes, with and without
 * COMPRESS=DEFLATE, whatever the TCP segments and DEFLATE blocks they arrive in.
 */
@Tag("slow")
class ImapPipeliningTest {

    private static final int MESSAGES = 50;
    private static ImapFixture fixture;
    private static int port;
    private static final List<byte[]> stored = new ArrayList<>();

    @BeforeAll
    static void fillInbox() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start();
        // 1 KB to 5 MB, growing geometrically; UID n holds message n
        double ratio = Math.pow(5 * 1024.0, 1.0 / (MESSAGES - 1));
        Random random = new Random(42);
        for (int i = 0; i < MESSAGES; i++) {
            byte[] message = message(i + 1, (int) (1024 * Math.pow(ratio, i)), random);
            stored.add(message);
            fixture.store.delivery().deliver("", List.of("alice@example.test"), List.of(),
                () -> new ByteArrayInputStream(message), message.length);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        fixture.close();
    }

    private static byte[] message(int n, int size, Random random) {
        StringBuilder text = new StringBuilder("From: bob@example.test\r\nSubject: message " + n + "\r\n\r\n");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        while (text.length() < size - 78) {
            for (int i = 0; i < 76; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            text.append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** How the client cuts its bytes: as one write, or into TCP segments (and DEFLATE blocks) at random points. */
    private enum Cutting { ONE_WRITE, A_WRITE_PER_COMMAND, RANDOM_PIECES }

    @Test
    void fiftyPipelinedUidFetchesOfOneKilobyteToFiveMegabytesInPlainText() throws Exception {
        fetchEverythingPipelined(false, Cutting.ONE_WRITE);
        fetchEverythingPipelined(false, Cutting.RANDOM_PIECES);
    }

    @Test
    void fiftyPipelinedUidFetchesUnderCompressionInOneDeflateBlock() throws Exception {
        fetchEverythingPipelined(true, Cutting.ONE_WRITE);
    }

    @Test
    void fiftyPipelinedUidFetchesUnderCompressionABlockPerCommandAsMbsyncSendsThem() throws Exception {
        fetchEverythingPipelined(true, Cutting.A_WRITE_PER_COMMAND);
    }

    @Test
    void fiftyPipelinedUidFetchesUnderCompressionCutAtRandom() throws Exception {
        fetchEverythingPipelined(true, Cutting.RANDOM_PIECES);
    }

    /**
     * mbsync's stall, exactly: two commands that compress against the earlier ones inflate to more than twice their
     * compressed size, and nothing follows them. Both must be answered without the client sending anything else.
     */
    @Test
    void commandsThatInflateToMoreThanTwiceTheirCompressedSizeAreReadWithoutWaitingForMoreInput() throws Exception {
        try (PipeliningClient c = PipeliningClient.open(true)) {
            c.send("7 UID FETCH 1:2 (BODY.PEEK[])\r\n");
            assertThat(c.readTagged("7").status()).isEqualTo("7 OK FETCH completed.");
            byte[] both = "8 UID FETCH 1 (BODY.PEEK[])\r\n9 UID FETCH 2 (BODY.PEEK[])\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] compressed = c.compress(both);
            assertThat(compressed.length * 2).as("compressed size, twice").isLessThan(both.length);
            c.sendRaw(compressed);
            Reply eight = c.readTagged("8");
            Reply nine = c.readTagged("9");
            assertThat(eight.status()).isEqualTo("8 OK FETCH completed.");
            assertThat(eight.literals()).containsExactly(stored.get(0));
            assertThat(nine.status()).isEqualTo("9 OK FETCH completed.");
            assertThat(nine.literals()).containsExactly(stored.get(1));
        }
    }

    private void fetchEverythingPipelined(boolean compress, Cutting cutting) throws Exception {
        try (PipeliningClient c = PipeliningClient.open(compress)) {
            List<byte[]> writes = new ArrayList<>();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int uid = 1; uid <= MESSAGES; uid++) {
                byte[] command = ("f" + uid + " UID FETCH " + uid + " (BODY.PEEK[])\r\n").getBytes(StandardCharsets.US_ASCII);
                all.write(command);
                if (cutting == Cutting.A_WRITE_PER_COMMAND) {
                    writes.add(compress ? c.compress(command) : command);
                }
            }
            Random random = new Random(7);
            switch (cutting) {
                case ONE_WRITE -> c.sendRaw(compress ? c.compress(all.toByteArray()) : all.toByteArray());
                case A_WRITE_PER_COMMAND -> {
                    ByteArrayOutputStream joined = new ByteArrayOutputStream();
                    for (byte[] write : writes) {
                        joined.write(write);
                    }
                    c.sendRaw(joined.toByteArray());
                }
                case RANDOM_PIECES -> {
                    byte[] bytes = all.toByteArray();
                    for (int at = 0; at < bytes.length; ) {
                        int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
                        byte[] piece = java.util.Arrays.copyOfRange(bytes, at, at + length);
                        c.sendRaw(compress ? c.compress(piece) : piece);
                        at += length;
                    }
                }
            }
            for (int uid = 1; uid <= MESSAGES; uid++) {
                Reply reply = c.readTagged("f" + uid);
                assertThat(reply.status()).as("UID %d", uid).isEqualTo("f" + uid + " OK FETCH completed.");
                assertThat(reply.untagged()).as("UID %d", uid).containsExactly("* " + uid + " FETCH (UID " + uid + " BODY[] {"
                    + stored.get(uid - 1).length + "}", ")");
                assertThat(reply.literals()).as("UID %d", uid).hasSize(1);
                assertThat(reply.literals().get(0)).as("UID %d", uid).isEqualTo(stored.get(uid - 1));
            }
            c.sendRaw(c.maybeCompress("z LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(c.readTagged("z").status()).isEqualTo("z OK LOGOUT completed.");
        }
    }

    /** What one tagged command got: its untagged lines (literals cut out), the literals, and the tagged line. */
    record Reply(List<String> untagged, List<byte[]> literals, String status) {
    }

    /** A client that logs in, may turn on COMPRESS=DEFLATE, selects INBOX and then writes exactly what it is given. */
    private static final class PipeliningClient implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private InputStream in;
        private Deflater deflater;
        private byte[] heldBack = new byte[0];

        private PipeliningClient(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        static PipeliningClient open(boolean compress) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            PipeliningClient c = new PipeliningClient(socket);
            c.readLine();
            c.sendRaw("1 LOGIN alice@example.test alice-pw\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readTagged("1").status()).isEqualTo("1 OK LOGIN completed.");
            if (compress) {
                c.sendRaw("2 COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(c.readTagged("2").status()).isEqualTo("2 OK COMPRESS DEFLATE active");
                c.deflater = new Deflater(6, true);
                c.in = new BufferedInputStream(new InflaterInputStream(c.in, new Inflater(true), 64 * 1024));
            }
            c.send("3 SELECT INBOX\r\n");
            assertThat(c.readTagged("3").status()).isEqualTo("3 OK [READ-WRITE] SELECT completed.");
            return c;
        }

        /**
         * Compresses and flushes as mbsync does (zlib's Z_PARTIAL_FLUSH): every byte of {@code plain} can be inflated
         * from what is sent, but the stream's last bits wait for the next write. Java's Deflater only has SYNC_FLUSH,
         * whose output ends in an empty stored block; its length fields (00 00 FF FF) are held back and sent first
         * next time, which leaves the same stream, cut where Z_PARTIAL_FLUSH cuts it.
         */
        byte[] compress(byte[] plain) {
            deflater.setInput(plain);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            compressed.writeBytes(heldBack);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
                compressed.write(buffer, 0, n);
            }
            byte[] bytes = compressed.toByteArray();
            byte[] end = java.util.Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length);
            assertThat(end).containsExactly(0, 0, 0xff, 0xff);
            heldBack = end;
            return java.util.Arrays.copyOf(bytes, bytes.length - 4);
        }

        byte[] maybeCompress(byte[] plain) {
            return deflater == null ? plain : compress(plain);
        }

        void send(String text) throws IOException {
            sendRaw(maybeCompress(text.getBytes(StandardCharsets.US_ASCII)));
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + line);
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                line.write(b);
                previous = b;
            }
        }

        Reply readTagged(String tag) throws IOException {
            List<String> untagged = new ArrayList<>();
            List<byte[]> literals = new ArrayList<>();
            while (true) {
                String line = readLine();
                if (line.startsWith(tag + " ")) {
                    return new Reply(untagged, literals, line);
                }
                assertThat(line).as("a line before %s's tagged reply", tag).startsWith("*");
                untagged.add(line);
                java.util.regex.Matcher literal = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(line);
                if (literal.find()) {
                    literals.add(in.readNBytes(Integer.parseInt(literal.group(1))));
                    untagged.add(readLine());
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (deflater != null) {
                deflater.end();
            }
            socket.close();
        }
    }
}
