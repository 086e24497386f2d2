package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's mbsync (isync), a real client that pipelines and turns on COMPRESS=DEFLATE: pull, push and flag sync in
 * both directions against a mailbox holding a 2 MB multipart message and a small one. Skipped where mbsync is not
 * installed ({@code apt-get install isync}; {@code .ci/run} installs it).
 */
class MbsyncEndToEndTest {

    private static final Path MBSYNC = Path.of("/usr/bin/mbsync");

    @TempDir
    Path dir;
    private ImapFixture fixture;
    private int port;
    private byte[] big;
    private byte[] small;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MBSYNC), "mbsync is not installed (Debian package isync)");
        fixture = new ImapFixture();
        port = fixture.start();
        byte[] attachment = new byte[1_550_000];
        new Random(3).nextBytes(attachment);
        big = ("From: bob@example.test\r\nTo: alice@example.test\r\nSubject: big\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--XX--\r\n").getBytes(StandardCharsets.US_ASCII);
        small = "From: bob@example.test\r\nTo: alice@example.test\r\nSubject: small\r\n\r\nsmall body\r\n"
            .getBytes(StandardCharsets.US_ASCII);
        for (byte[] message : List.of(big, small)) {
            fixture.store.delivery().deliver("", List.of("alice@example.test"), List.of(),
                () -> new ByteArrayInputStream(message), message.length);
        }
        Files.writeString(dir.resolve("mbsyncrc"), String.join("\n",
            "IMAPAccount letterbox", "Host 127.0.0.1", "Port " + port, "User alice@example.test", "Pass alice-pw",
            "SSLType None", "AuthMechs LOGIN", "Timeout 20", "",
            "IMAPStore far", "Account letterbox", "",
            "MaildirStore near", "Path " + dir.resolve("mail") + "/", "Inbox " + dir.resolve("mail/INBOX"),
            "SubFolders Verbatim", "",
            "Channel sync", "Far :far:", "Near :near:", "Patterns INBOX Drafts", "Create Both", "Sync All",
            "Expunge Both", "SyncState *", ""));
        Files.createDirectories(dir.resolve("mail"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void mbsync() throws Exception {
        Process process = new ProcessBuilder(MBSYNC.toString(), "-c", dir.resolve("mbsyncrc").toString(), "sync")
            .redirectErrorStream(true).redirectOutput(dir.resolve("mbsync.log").toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("mbsync finished").isTrue();
        assertThat(process.exitValue()).as("mbsync exit status; its output: %s",
            Files.readString(dir.resolve("mbsync.log"))).isZero();
    }

    /** Maildir keeps messages with LF line ends. */
    private static byte[] asStoredLocally(byte[] message) {
        return new String(message, StandardCharsets.US_ASCII).replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A pulled message as mbsync wrote it, less the X-TUID header it adds to find its own copies. */
    private static byte[] pulled(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.US_ASCII).replaceFirst("(?m)^X-TUID: [^\n]*\n", "")
            .getBytes(StandardCharsets.US_ASCII);
    }

    private static String digest(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes))
            + " (" + bytes.length + " bytes)";
    }

    private List<Path> localMessages(String folder) throws Exception {
        try (Stream<Path> files = Stream.concat(Files.list(dir.resolve("mail/" + folder + "/cur")),
            Files.list(dir.resolve("mail/" + folder + "/new")))) {
            return files.sorted().toList();
        }
    }

    private static Path withUid(List<Path> messages, int uid) {
        return messages.stream().filter(p -> p.getFileName().toString().contains(",U=" + uid + ":")).findFirst().orElseThrow();
    }

    @Test
    void pullPushAndFlagSyncWithBigAndSmallMessages() throws Exception {
        mbsync();
        List<Path> inbox = localMessages("INBOX");
        assertThat(inbox).hasSize(2);
        assertThat(digest(pulled(withUid(inbox, 1)))).as("the big message's bytes").isEqualTo(digest(asStoredLocally(big)));
        assertThat(pulled(withUid(inbox, 2))).isEqualTo(asStoredLocally(small));

        // push a draft, mark the small message seen here and the big one flagged on the server
        Files.writeString(dir.resolve("mail/Drafts/cur/1700000000.1.host:2,D"),
            "From: alice@example.test\nSubject: pushed\n\nwritten offline\n");
        Path seen = withUid(inbox, 2);
        Files.move(seen, dir.resolve("mail/INBOX/cur").resolve(seen.getFileName() + "S"));
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            c.command("SELECT INBOX");
            assertThat(ImapClient.tagged(c.command("UID STORE 1 +FLAGS.SILENT (\\Flagged)"))).isEqualTo("a3 OK STORE completed.");
        }
        mbsync();

        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            c.command("SELECT INBOX");
            assertThat(c.command("UID FETCH 1:* (FLAGS)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Flagged) UID 1)", "* 2 FETCH (FLAGS (\\Seen) UID 2)", "a3 OK FETCH completed.");
            c.command("SELECT Drafts");
            List<String> draft = c.command("UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(draft.get(0)).startsWith("* 1 FETCH (FLAGS (\\Draft) UID 1 BODY[HEADER.FIELDS (SUBJECT)] {");
            assertThat(draft).contains("Subject: pushed", "a5 OK FETCH completed.");
        }
        assertThat(withUid(localMessages("INBOX"), 1).getFileName().toString()).endsWith(":2,F");
    }
}
