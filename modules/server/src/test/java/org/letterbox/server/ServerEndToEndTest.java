package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigException;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestDns;

/** The whole server from a configuration file: every listener over one store. */
@Tag("slow")
class ServerEndToEndTest {

    @TempDir
    Path dir;

    private int pop3;
    /** Empty: senders here publish nothing, so the MX's SPF and DMARC lookups get quick, local NXDOMAINs. */
    private TestDns dns;

    @BeforeEach
    void startDns() throws Exception {
        dns = TestDns.start();
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private ServerConfig config(int mx, int submission, int submissions, int imap, int imaps) throws Exception {
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, "hostname: mail.example.test\n"
            + "dataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n"
            + "  mx: { port: " + mx + " }\n"
            + "  submission: { port: " + submission + " }\n"
            + "  submissions: { port: " + submissions + " }\n"
            + "imap:\n"
            + "  imap: { port: " + imap + " }\n"
            + "  imaps: { port: " + imaps + " }\n"
            + "pop3:\n"
            + "  pop3: { port: " + (pop3 = FreePort.next()) + " }\n"
            + "  pop3s: { port: " + FreePort.next() + " }\n"
            + "web:\n  https: { port: " + FreePort.next() + " }\n  http: { port: " + FreePort.next() + " }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n");
        return new ConfigLoader().load(file);
    }

    @Test
    void aMessageDeliveredOverSmtpIsReadOverImapAndPop3WithTheSameBytes() throws Exception {
        int mx = FreePort.next();
        int imap = FreePort.next();
        try (LetterboxServer server = LetterboxServer.start(config(mx, FreePort.next(), FreePort.next(), imap, FreePort.next()))) {
            server.store().accounts().addDomain("example.test");
            server.store().createUser("you@example.test", "secret");
            String body = "Subject: end to end\r\nFrom: a@remote.test\r\n\r\nSame bytes everywhere.\r\n";
            try (LineClient c = LineClient.connect(mx)) {
                assertThat(c.readReply()).startsWith("220 mail.example.test");
                c.command("EHLO remote.test");
                c.command("MAIL FROM:<a@remote.test>");
                assertThat(c.command("RCPT TO:<you@example.test>")).startsWith("250 ");
                c.command("DATA");
                c.sendRaw(body + ".\r\n");
                assertThat(c.readReply()).startsWith("250 ");
            }
            try (LineClient c = LineClient.connect(imap)) {
                assertThat(c.readLine()).startsWith("* OK");
                c.send("a LOGIN you@example.test secret");
                assertThat(c.readLine()).startsWith("a OK");
                c.send("b SELECT INBOX");
                String line;
                while (!(line = c.readLine()).startsWith("b ")) {
                    // untagged SELECT data
                }
                assertThat(line).startsWith("b OK");
                c.send("c FETCH 1 BODY.PEEK[]");
                String header = c.readLine();
                int size = Integer.parseInt(header.substring(header.lastIndexOf('{') + 1, header.length() - 1));
                List<String> lines = new ArrayList<>();
                while (!(line = c.readLine()).startsWith("c ")) {
                    lines.add(line);
                }
                String fetched = String.join("\r\n", lines.subList(0, lines.size() - 1)) + "\r\n";
                assertThat(fetched.length()).isEqualTo(size);
                assertThat(fetched).startsWith("Return-Path: <a@remote.test>\r\nAuthentication-Results: mail.example.test;\r\n"
                    + "\tspf=none smtp.mailfrom=remote.test;\r\n\tdkim=none;\r\n\tdmarc=none header.from=remote.test\r\n"
                    + "Received: from remote.test").endsWith(body);
                // the same bytes over POP3 (dot-stuffing aside: no line of this message starts with a dot)
                try (LineClient pop = LineClient.connect(pop3)) {
                    assertThat(pop.readLine()).startsWith("+OK");
                    pop.send("USER you@example.test");
                    pop.readLine();
                    pop.send("PASS secret");
                    assertThat(pop.readLine()).startsWith("+OK");
                    pop.send("RETR 1");
                    assertThat(pop.readLine()).startsWith("+OK");
                    List<String> popLines = new ArrayList<>();
                    String popLine;
                    while (!(popLine = pop.readLine()).equals(".")) {
                        popLines.add(popLine);
                    }
                    assertThat(String.join("\r\n", popLines) + "\r\n").isEqualTo(fetched);
                }
            }
        }
    }

    @Test
    void aPortAlreadyInUseStopsStartUpWithAOneLineMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerConfig config = config(taken.getLocalPort(), FreePort.next(), FreePort.next(), FreePort.next(), FreePort.next());
            assertThatThrownBy(() -> LetterboxServer.start(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("smtp.mx")
                .hasMessageContaining(String.valueOf(taken.getLocalPort()))
                .hasMessageContaining("already in use");
        }
        // the store was closed again: a second start on the same directory works
        try (LetterboxServer server = LetterboxServer.start(config(FreePort.next(), FreePort.next(), FreePort.next(),
                FreePort.next(), FreePort.next()))) {
            assertThat(server.store()).isNotNull();
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
        try (LetterboxServer first = LetterboxServer.start(config(FreePort.next(), FreePort.next(), FreePort.next(),
                FreePort.next(), FreePort.next()))) {
            assertThatThrownBy(() -> LetterboxServer.start(config(FreePort.next(), FreePort.next(), FreePort.next(),
                    FreePort.next(), FreePort.next())))
                .hasMessageContaining("already in use by another process");
        }
    }
    @Test
    void aRestartKeepsUidValidityUidsFlagsAndSubscriptions() throws Exception {
        int imap = FreePort.next();
        ServerConfig config = config(FreePort.next(), FreePort.next(), FreePort.next(), imap, FreePort.next());
        java.util.List<String> before;
        try (LetterboxServer server = LetterboxServer.start(config)) {
            server.store().accounts().addDomain("example.test");
            server.store().createUser("you@example.test", "secret");
            try (LineClient c = LineClient.connect(imap)) {
                c.readLine();
                imapCommand(c, "a LOGIN you@example.test secret");
                for (int i = 1; i <= 3; i++) {
                    String message = "Subject: keep " + i + "\r\n\r\nbody " + i + "\r\n";
                    c.send("b APPEND INBOX {" + message.length() + "+}");
                    c.sendRaw(message + "\r\n");
                    imapTagged(c, "b");
                }
                imapCommand(c, "c CREATE Projects");
                imapCommand(c, "d SUBSCRIBE Projects");
                imapCommand(c, "e UNSUBSCRIBE Junk");
                imapCommand(c, "f SELECT INBOX");
                imapCommand(c, "g STORE 2 +FLAGS (\\Flagged \\Seen custom)");
                imapCommand(c, "h STORE 1 +FLAGS (\\Deleted)");
                imapCommand(c, "i EXPUNGE");
                before = state(c);
            }
        }
        try (LetterboxServer server = LetterboxServer.start(config); LineClient c = LineClient.connect(imap)) {
            c.readLine();
            imapCommand(c, "a LOGIN you@example.test secret");
            java.util.List<String> after = state(c);
            assertThat(after).isEqualTo(before);
            assertThat(String.join("\n", after)).contains("UIDVALIDITY", "UID 2", "UID 3", "\\Flagged", "custom",
                "\"Projects\"").doesNotContain("\"Junk\"");
        }
    }

    /** What a client caches: UIDVALIDITY, UIDs with flags, and the subscribed folders. */
    private static java.util.List<String> state(LineClient c) throws Exception {
        java.util.List<String> state = new java.util.ArrayList<>();
        imapCommand(c, "s0 UNSELECT").size();
        for (String line : imapCommand(c, "s1 SELECT INBOX")) {
            if (line.contains("UIDVALIDITY") || line.contains("EXISTS")) {
                state.add(line);
            }
        }
        for (String line : imapCommand(c, "s2 UID FETCH 1:* (FLAGS)")) {
            if (line.startsWith("* ")) {
                state.add(line);
            }
        }
        for (String line : imapCommand(c, "s3 LSUB \"\" \"*\"")) {
            if (line.startsWith("* ")) {
                state.add(line);
            }
        }
        java.util.Collections.sort(state);
        return state;
    }

    private static java.util.List<String> imapCommand(LineClient c, String line) throws Exception {
        c.send(line);
        return imapTagged(c, line.substring(0, line.indexOf(' ')));
    }

    private static java.util.List<String> imapTagged(LineClient c, String tag) throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String reply;
        do {
            reply = c.readLine();
            lines.add(reply);
        } while (reply != null && !reply.startsWith(tag + " "));
        return lines;
    }

    @Test
    void smtpLineAndErrorLimitsFromTheFileApplyToTheMxListener() throws Exception {
        int mx = FreePort.next();
        Path file = dir.resolve("limits.yaml");
        Files.writeString(file, "dataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + mx + " }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "  maxCommandLineLength: 600\n  maxProtocolErrors: 2\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n");
        try (LetterboxServer server = LetterboxServer.start(new ConfigLoader().load(file));
             LineClient c = LineClient.connect(mx)) {
            c.readReply();
            assertThat(c.command("NOOP " + "x".repeat(590))).startsWith("250 ");
            assertThat(c.command("NOOP " + "x".repeat(700))).startsWith("500 5.5.2");
            // the second error reply reaches the limit of 2: the session is dropped
            assertThat(c.command("BOGUS")).startsWith("500 ");
            assertThat(c.readReply()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
