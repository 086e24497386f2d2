package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;

/**
 * {@code letterbox queue ...} against a running server whose delivery is off, so that what is queued stays: list
 * (text and JSON), show, hold and release, retry, bounce (a report in the sender's INBOX) and drop.
 */
@org.junit.jupiter.api.Tag("slow")
class QueueCommandsTest {

    @TempDir
    Path dir;
    private Path config;
    private LetterboxServer server;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("letterbox.yaml");
        Files.writeString(config, "hostname: mail.example.test\ndataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { enabled: false }\n"
            + "  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nweb: { https: { enabled: false } }\n"
            + "delivery: { enabled: false }\ndns: { dnssec: \"off\" }\n");
        server = LetterboxServer.start(new ConfigLoader().load(config));
        server.store().accounts().addDomain("example.test");
        server.store().createUser("alice@example.test", "pw");
        byte[] message = "From: alice@example.test\r\nSubject: waiting\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        server.store().delivery().deliver("alice@example.test", List.of(), List.of("bob@remote.test", "carol@remote.test"),
            () -> new ByteArrayInputStream(message), message.length);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = LetterboxCommand.run(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private long id(int index) {
        return server.store().queue().list().get(index).id();
    }

    @Test
    void listShowsEachRecipientAndJsonIsForScripts() throws Exception {
        Result list = run("queue", "list");
        assertThat(list.code()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3).last().isEqualTo("2 queued");
        assertThat(list.out().lines().findFirst().orElseThrow())
            .startsWith(id(0) + "  <alice@example.test> -> <bob@remote.test>  ").contains("attempts=0");
        JsonNode json = new ObjectMapper().readTree(run("queue", "list", "--json").out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.get(1).get("recipient").asText()).isEqualTo("carol@remote.test");
        assertThat(json.get(1).get("size").asLong()).isEqualTo(52);
        assertThat(json.get(1).get("held").asBoolean()).isFalse();
    }

    @Test
    void showGivesTheEntryInFullWithTheHeaders() {
        Result show = run("queue", "show", String.valueOf(id(0)));
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("recipient:     <bob@remote.test>", "attempts:      0", "Subject: waiting")
            .doesNotContain("body");
        Result missing = run("queue", "show", "999999");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).isEqualTo("letterbox: no queue entry 999999\n");
    }

    @Test
    void holdReleaseAndRetryChangeWhatIsDue() {
        assertThat(run("queue", "hold", String.valueOf(id(0))).out()).isEqualTo("1 held\n");
        assertThat(server.store().queue().list().get(0).held()).isTrue();
        assertThat(run("queue", "list").out()).contains("HELD");
        assertThat(run("queue", "release", "--all").out()).isEqualTo("2 released\n");
        assertThat(server.store().queue().list()).noneMatch(entry -> entry.held());
        assertThat(run("queue", "retry", "--all").out()).isEqualTo("2 due now\n");
        assertThat(run("queue", "pause").out()).isEqualTo("delivery paused\n");
        assertThat(run("queue", "resume").out()).isEqualTo("delivery resumed\n");
        Result neither = run("queue", "retry");
        assertThat(neither.code()).isNotZero();
        assertThat(neither.err()).contains("give a queue id or --all");
    }

    @Test
    void bounceTellsTheSenderAndDropDoesNot() throws Exception {
        long bob = id(0);
        long carol = id(1);
        assertThat(run("queue", "bounce", String.valueOf(bob)).out()).isEqualTo("bounced " + bob + "\n");
        assertThat(run("queue", "drop", String.valueOf(carol)).out()).isEqualTo("dropped " + carol + "\n");
        assertThat(server.store().queue().list()).isEmpty();
        long inbox = server.store().inbox("alice@example.test");
        String report;
        try (InputStream in = server.store().messageContent(inbox, 1).orElseThrow()) {
            report = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(report).contains("Content-Type: multipart/report; report-type=delivery-status",
            "Final-Recipient: rfc822; bob@remote.test", "Action: failed", "Status: 5.0.0",
            "returned to the sender by the administrator").doesNotContain("carol@remote.test");
        assertThat(server.store().messageContent(inbox, 2)).isEqualTo(Optional.empty());
        Result again = run("queue", "drop", String.valueOf(carol));
        assertThat(again.err()).isEqualTo("letterbox: no queue entry " + carol + "\n");
    }
}
