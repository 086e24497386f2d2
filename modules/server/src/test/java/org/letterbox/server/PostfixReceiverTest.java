package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestDns;

/**
 * Outbound delivery to another MTA than ourselves: a private instance of Debian's Postfix on 127.0.0.3 is the MX of
 * remote.test and stores bob's mail in a Maildir. What Letterbox sends arrives byte for byte; what Postfix refuses
 * comes back to the sender as a bounce. Skipped where Postfix is not installed or the test does not run as root
 * (Postfix's master runs as root); {@code .ci/run} installs it.
 */
@Tag("slow")
class PostfixReceiverTest {

    private static final String MESSAGE = "From: alice@example.test\r\nTo: bob@remote.test\r\nSubject: to postfix\r\n"
        + "Message-ID: <postfix-1@example.test>\r\nDate: Sat, 5 Dec 2026 10:00:00 +0000\r\n\r\n"
        + "Hello Postfix.\r\n.a line with a dot\r\n";

    @TempDir
    Path dir;
    private Path postfixConf;
    private TestDns dns;
    private LetterboxServer sender;
    private int port;

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/postfix")), "Postfix is not installed (apt-get install postfix)");
        assumeTrue("root".equals(System.getProperty("user.name")), "Postfix's master must be started as root");
        port = FreePort.next();
        Path base = dir.resolve("postfix");
        postfixConf = base.resolve("etc");
        Files.createDirectories(postfixConf);
        Files.createDirectories(base.resolve("spool"));
        Files.createDirectories(base.resolve("data"));
        Path mail = base.resolve("mail");
        Files.createDirectories(mail);
        String master = Files.readString(Path.of("/etc/postfix/master.cf"))
            .replaceFirst("(?m)^smtp(\\s+)inet(.*)smtpd$", "127.0.0.3:" + port + " inet  n       -       n       -       -       smtpd");
        Files.writeString(postfixConf.resolve("master.cf"), master);
        Files.writeString(postfixConf.resolve("vmailbox"), "bob@remote.test remote.test/bob/\n");
        Files.writeString(postfixConf.resolve("main.cf"), "compatibility_level = 3.6\n"
            + "queue_directory = " + base.resolve("spool") + "\n"
            + "data_directory = " + base.resolve("data") + "\n"
            + "maillog_file = " + base.resolve("maillog") + "\nmaillog_file_prefixes = " + dir + "\n"
            + "myhostname = mx.remote.test\nmydestination =\ninet_interfaces = all\ninet_protocols = ipv4\n"
            + "mynetworks = 127.0.0.3/32\n"
            + "virtual_mailbox_domains = remote.test\nvirtual_mailbox_base = " + mail + "\n"
            + "virtual_mailbox_maps = texthash:" + postfixConf.resolve("vmailbox") + "\n"
            + "virtual_uid_maps = static:8\nvirtual_gid_maps = static:8\nvirtual_minimum_uid = 8\n"
            + "smtpd_recipient_restrictions = reject_unauth_destination\n");
        run("chown", "-R", "postfix", base.resolve("data").toString());
        run("chown", "-R", "8:8", mail.toString());
        run("chmod", "755", dir.toString(), base.toString());
        run("postfix", "-c", postfixConf.toString(), "set-permissions");
        assertThat(run("postfix", "-c", postfixConf.toString(), "start")).as("postfix start; see " + base.resolve("maillog"))
            .isZero();

        dns = TestDns.start();
        dns.mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "127.0.0.3");
        Path config = dir.resolve("sender.yaml");
        Files.writeString(config, "hostname: mail.example.test\ndataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { port: " + FreePort.next() + " }\n  submission: { enabled: false }\n"
            + "  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  dnssec: \"off\"\n"
            + "delivery:\n  mxPort: " + port + "\n");
        sender = LetterboxServer.start(new ConfigLoader().load(config));
        sender.store().accounts().addDomain("example.test");
        sender.store().createUser("alice@example.test", "pw");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sender != null) {
            sender.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (postfixConf != null) {
            run("postfix", "-c", postfixConf.toString(), "stop");
        }
    }

    private void queue(String recipient) throws IOException {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.US_ASCII);
        sender.store().delivery().deliver("alice@example.test", List.of(), List.of(recipient),
            () -> new ByteArrayInputStream(bytes), bytes.length);
    }

    private List<Path> maildir() throws IOException {
        Path fresh = dir.resolve("postfix/mail/remote.test/bob/new");
        if (!Files.isDirectory(fresh)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(fresh)) {
            return files.toList();
        }
    }

    @Test
    void postfixStoresWhatLetterboxSendsByteForByte() throws Exception {
        queue("bob@remote.test");
        TwoServers.await(TwoServers.unchecked(() -> maildir().size() == 1));
        String stored = Files.readString(maildir().get(0), StandardCharsets.US_ASCII);
        // Postfix stores with LF line ends and adds its own Return-Path, Delivered-To and Received
        assertThat(stored).startsWith("Return-Path: <alice@example.test>\n")
            .contains("Received: from mail.example.test")
            .endsWith(MESSAGE.replace("\r\n", "\n"));
        TwoServers.await(() -> sender.store().queue().size() == 0);
    }

    @Test
    void aRecipientPostfixRefusesBouncesToTheSender() throws Exception {
        queue("nobody@remote.test");
        TwoServers.await(TwoServers.unchecked(() -> TwoServers.inbox(sender, "alice@example.test").size() == 1));
        String bounce = TwoServers.inbox(sender, "alice@example.test").get(0);
        assertThat(bounce).contains("Final-Recipient: rfc822; nobody@remote.test", "Action: failed", "Status: 5.1.1",
            "Remote-MTA: dns; mx.remote.test", "Diagnostic-Code: smtp; 550 5.1.1");
        assertThat(maildir()).isEmpty();
    }
}
