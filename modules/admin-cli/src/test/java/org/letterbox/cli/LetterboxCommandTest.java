package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;

/** The letterbox command on a store in a temporary directory. */
@Tag("slow")
class LetterboxCommandTest {

    @TempDir
    Path dir;
    private Path config;
    private InputStream stdin;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        stdin = System.in;
        config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "dataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { port: " + FreePort.next() + " }\n"
            + "  submissions: { port: " + FreePort.next() + " }\n"
            + "imap:\n  imap: { port: " + FreePort.next() + " }\n  imaps: { port: " + FreePort.next() + " }\n"
            + "pop3:\n  pop3: { port: " + FreePort.next() + " }\n  pop3s: { port: " + FreePort.next() + " }\n"
            + "web:\n  https: { port: " + FreePort.next() + " }\n  http: { port: " + FreePort.next() + " }\n");
    }

    @AfterEach
    void tearDown() {
        System.setIn(stdin);
    }

    private Result run(String stdinText, String... args) {
        if (stdinText != null) {
            System.setIn(new ByteArrayInputStream(stdinText.getBytes(StandardCharsets.UTF_8)));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = LetterboxCommand.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void storeCopyMovesAStoppedDerbyStoreIntoAnEmptyPostgresDatabaseOnceAndReportsTheVerifiedCopy() throws Exception {
        assertThat(run(null, "domain", "add", "example.test").code()).isZero();
        assertThat(run("s3cret\n", "user", "add", "you@example.test", "--password-stdin").code()).isZero();
        org.letterbox.testing.TestPostgres.Login database = org.letterbox.testing.TestPostgres.newDatabase();
        Path password = dir.resolve("db-password");
        Files.writeString(password, database.password() + "\n");

        Result copied = run(null, "store", "copy", "--to", database.jdbcUrl(), "--user", database.user(),
            "--password-file", password.toString());
        assertThat(copied.code()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("copied users            1 rows", "copied mailboxes        6 rows")
            .contains("verified: 13 tables, their rows and");

        Result again = run(null, "store", "copy", "--to", database.jdbcUrl(), "--user", database.user(),
            "--password-file", password.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).startsWith("letterbox: the target is not empty: domains has 1 rows");
    }

    @Test
    void domainsUsersAndAliasesAreManagedAndAUserCanLogInAtOnce() throws Exception {
        assertThat(run(null, "domain", "add", "example.test").code()).isZero();
        assertThat(run("s3cret\n", "user", "add", "you@example.test", "--password-stdin").out()).contains("user you@example.test added");
        assertThat(run(null, "alias", "add", "postmaster@example.test", "you@example.test").code()).isZero();
        assertThat(run(null, "domain", "list").out()).isEqualTo("example.test\n");
        assertThat(run(null, "user", "list").out()).isEqualTo("you@example.test\n");
        assertThat(run(null, "alias", "list").out()).isEqualTo("postmaster@example.test -> you@example.test\n");

        var serverConfig = new ConfigLoader().load(config);
        try (LetterboxServer server = LetterboxServer.start(serverConfig);
             LineClient imap = LineClient.connect(serverConfig.imap().imap().port())) {
            imap.readLine();
            imap.send("a LOGIN you@example.test s3cret");
            assertThat(imap.readLine()).startsWith("a OK");
            imap.send("b LIST \"\" \"*\"");
            StringBuilder list = new StringBuilder();
            String line;
            while (!(line = imap.readLine()).startsWith("b ")) {
                list.append(line).append('\n');
            }
            assertThat(list.toString()).contains("\"Sent\"", "\"Drafts\"", "\"Trash\"", "\"Junk\"", "\"Archive\"");
        }
    }

    @Test
    void errorsAreOneClearLineAndANonZeroExitCode() {
        run(null, "domain", "add", "example.test");
        run("pw\n", "user", "add", "you@example.test", "--password-stdin");

        Result existing = run("pw\n", "user", "add", "you@example.test", "--password-stdin");
        assertThat(existing.code()).isNotZero();
        assertThat(existing.err()).isEqualTo("letterbox: user you@example.test already exists\n");

        Result bad = run("pw\n", "user", "add", "not-an-address", "--password-stdin");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).startsWith("letterbox: bad address").doesNotContain("\tat ");

        Result unknownDomain = run("pw\n", "user", "add", "x@nowhere.test", "--password-stdin");
        assertThat(unknownDomain.code()).isNotZero();
        assertThat(unknownDomain.err()).isEqualTo("letterbox: unknown domain nowhere.test; add it first\n");
    }

    @Test
    void whileAServerRunsCommandsGoThroughItsAdminEndpointAndTakeEffectAtOnce() throws Exception {
        var serverConfig = new ConfigLoader().load(config);
        try (LetterboxServer server = LetterboxServer.start(serverConfig)) {
            assertThat(run(null, "domain", "add", "example.test").code()).isZero();
            assertThat(run("s3cret\n", "user", "add", "you@example.test", "--password-stdin").code()).isZero();
            try (LineClient imap = LineClient.connect(serverConfig.imap().imap().port())) {
                imap.readLine();
                imap.send("a LOGIN you@example.test s3cret");
                assertThat(imap.readLine()).startsWith("a OK");
            }
            assertThat(run(null, "user", "quota", "you@example.test", "--max-size", "10M", "--max-messages", "500").out())
                .isEqualTo("you@example.test: 0 B of 10.0 MiB, 0 of 500 messages\n");
            assertThat(run(null, "user", "quota", "you@example.test", "--max-size", "none").out()).contains("of unlimited");
            Result mailboxes = run(null, "mailbox", "list", "you@example.test");
            assertThat(mailboxes.out()).as(mailboxes.err()).contains("INBOX", "Sent", "Archive");
            Result status = run(null, "status");
            assertThat(status.out()).contains("server: running", "smtp.mx 127.0.0.1:" + serverConfig.smtp().mx().port(),
                "domains: 1  users: 1");
            assertThat(run(null, "queue", "list").out()).isEqualTo("0 queued\n");
            Result existing = run("pw\n", "user", "add", "you@example.test", "--password-stdin");
            assertThat(existing.code()).isNotZero();
            assertThat(existing.err()).isEqualTo("letterbox: user you@example.test already exists\n");
        }
        // and with the server stopped, the same commands open the store
        assertThat(run(null, "status").out()).contains("server: not running", "users: 1");
    }

    @Test
    void aStaleEndpointFileFromAServerThatIsGoneIsIgnored() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/admin.endpoint"), "127.0.0.1:" + FreePort.next() + "\n");
        Files.writeString(dir.resolve("data/admin.token"), "00\n");
        assertThat(run(null, "domain", "add", "example.test").code()).isZero();
        assertThat(run(null, "domain", "list").out()).isEqualTo("example.test\n");
    }

    @Test
    void aServerRunningWithoutItsEndpointMakesTheCommandSaySo() throws Exception {
        Files.writeString(config, Files.readString(config) + "admin: { enabled: false }\n");
        try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(config))) {
            Result result = run(null, "domain", "add", "example.test");
            assertThat(result.code()).isNotZero();
            assertThat(result.err()).contains("already in use by another process", "admin.enabled");
        }
    }
}
