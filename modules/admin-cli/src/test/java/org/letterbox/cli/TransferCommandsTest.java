package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.admin.Admin;
import org.letterbox.server.admin.AdminRequest;
import org.letterbox.server.admin.Admin.TransferMessage;
import org.letterbox.server.admin.LocalAdmin;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;

/** {@code letterbox export} then {@code letterbox import} into another user, through a running server. */
@Tag("slow")
class TransferCommandsTest {

    @TempDir
    Path dir;
    private Path config;
    private LetterboxServer server;
    private Admin admin;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "dataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { port: " + FreePort.next() + " }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nweb: { https: { enabled: false } }\n");
        server = LetterboxServer.start(new ConfigLoader().load(config));
        admin = new LocalAdmin(server.store(), List.of(), false, org.letterbox.server.config.ServerConfig.defaults());
        admin.send(new AdminRequest.AddDomain("example.test"));
        admin.send(new AdminRequest.AddUser("from@example.test", "pw"));
        admin.send(new AdminRequest.AddUser("to@example.test", "pw"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private int run(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        StringWriter err = new StringWriter();
        int code = LetterboxCommand.run(full, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(err.toString()).isEmpty();
        return code;
    }

    private static TransferMessage message(String text, long date, String... flags) {
        return new TransferMessage(0, text.getBytes(StandardCharsets.UTF_8), List.of(flags), date);
    }

    private List<TransferMessage> originals() {
        return List.of(
            message("From: a@remote.test\r\nSubject: one\r\n\r\nplain body\r\n", 1_700_000_000_000L, "\\Seen"),
            message("From: b@remote.test\r\nSubject: two\r\n\r\nFrom the start of a line\r\n>From quoted already\r\n"
                + ">>From twice\r\n\r\nFrom again after a blank line\r\n", 1_700_000_100_000L, "\\Flagged", "\\Answered", "project-x"),
            message("Subject: three\r\n\r\nends with a blank line\r\n\r\n", 1_700_000_200_000L),
            message("Subject: draft\r\n\r\nünïcödé body\r\n", 1_700_000_300_000L, "\\Draft", "\\Seen"));
    }

    private void assertSameMessages(List<TransferMessage> copies, boolean keywordsKept) {
        List<TransferMessage> originals = originals();
        assertThat(copies).hasSize(originals.size());
        for (int i = 0; i < originals.size(); i++) {
            TransferMessage original = originals.get(i);
            TransferMessage copy = copies.get(i);
            assertThat(new String(copy.content(), StandardCharsets.UTF_8)).isEqualTo(new String(original.content(), StandardCharsets.UTF_8));
            assertThat(copy.content()).isEqualTo(original.content());
            List<String> expectedFlags = keywordsKept ? original.flags()
                : original.flags().stream().filter(f -> f.startsWith("\\")).toList();
            assertThat(copy.flags()).containsExactlyInAnyOrderElementsOf(expectedFlags);
            assertThat(copy.internalDate() / 1000).isEqualTo(original.internalDate() / 1000);
        }
    }

    @Test
    void mboxExportThenImportIntoAnotherUserGivesTheSameBytesFlagsAndDates() throws Exception {
        admin.send(new AdminRequest.ImportMessages("from@example.test", "INBOX", originals()));
        Path mbox = dir.resolve("export.mbox");
        assertThat(run("export", "mbox", "from@example.test", mbox.toString())).isZero();
        String file = Files.readString(mbox);
        assertThat(file).startsWith("From MAILER-DAEMON ").contains("\n>From the start of a line\n", "\n>>From quoted already\n",
            "\n>>>From twice\n", "X-Keywords: project-x").doesNotContain("\r");

        assertThat(run("import", "mbox", "to@example.test", mbox.toString(), "--mailbox", "Imported")).isZero();
        assertSameMessages(admin.send(new AdminRequest.ExportMessages("to@example.test", "Imported", 0, 100)), true);
    }

    @Test
    void maildirExportThenImportKeepsBytesSystemFlagsAndDates() throws Exception {
        admin.send(new AdminRequest.ImportMessages("from@example.test", "INBOX", originals()));
        Path maildir = dir.resolve("Maildir");
        assertThat(run("export", "maildir", "from@example.test", maildir.toString())).isZero();
        try (var files = Files.list(maildir.resolve("cur"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(4)
                .anyMatch(name -> name.endsWith(":2,FR")).anyMatch(name -> name.endsWith(":2,DS"));
        }
        assertThat(run("import", "maildir", "to@example.test", maildir.toString())).isZero();
        assertSameMessages(admin.send(new AdminRequest.ExportMessages("to@example.test", "INBOX", 0, 100)), false);
    }

    private static String mode(Path path) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void exportsAreReadableByTheirOwnerOnlyAndTheDataDirectoryToo() throws Exception {
        admin.send(new AdminRequest.ImportMessages("from@example.test", "INBOX", originals()));
        Path mbox = dir.resolve("out.mbox");
        Path maildir = dir.resolve("Maildir");
        assertThat(run("export", "mbox", "from@example.test", mbox.toString())).isZero();
        assertThat(run("export", "maildir", "from@example.test", maildir.toString())).isZero();
        assertThat(mode(mbox)).isEqualTo("rw-------");
        assertThat(mode(maildir)).isEqualTo("rwx------");
        assertThat(mode(maildir.resolve("cur"))).isEqualTo("rwx------");
        try (var files = Files.list(maildir.resolve("cur"))) {
            for (Path file : files.toList()) {
                assertThat(mode(file)).as("%s", file).isEqualTo("rw-------");
            }
        }
        assertThat(mode(dir.resolve("data"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("data/tls/self-signed.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("data/tls/self-signed.crt"))).isEqualTo("rw-------");
    }

    @Test
    void aMaildirImportDoesNotFollowLinksOutOfTheTreeAndAnExportDoesNotWriteThroughOne() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "Subject: the server user's private file\r\n\r\nsecret\r\n");
        Path maildir = dir.resolve("Planted");
        Files.createDirectories(maildir.resolve("cur"));
        Files.writeString(maildir.resolve("cur/1.real:2,S"), "Subject: real\r\n\r\nbody\r\n");
        Files.createSymbolicLink(maildir.resolve("cur/2.link:2,S"), secret);
        assertThat(run("import", "maildir", "to@example.test", maildir.toString())).isZero();
        assertThat(admin.send(new AdminRequest.ExportMessages("to@example.test", "INBOX", 0, 100))).singleElement()
            .satisfies(m -> assertThat(new String(m.content(), StandardCharsets.UTF_8)).contains("Subject: real"));

        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Path export = Files.createDirectories(dir.resolve("Export"));
        Files.createSymbolicLink(export.resolve("cur"), outside);
        admin.send(new AdminRequest.ImportMessages("from@example.test", "INBOX", originals()));
        StringWriter err = new StringWriter();
        int code = LetterboxCommand.run(new String[] {"-c", config.toString(), "export", "maildir", "from@example.test",
            export.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("leads out of");
        try (var files = Files.list(outside)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
