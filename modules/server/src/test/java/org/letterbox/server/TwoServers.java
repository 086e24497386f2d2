package org.letterbox.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.letterbox.server.config.ConfigLoader;
import org.letterbox.testing.FreePort;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.testing.TestDns;

/**
 * Two wired Letterbox servers and a DNS server on loopback: the sender, {@code mail.example.test} (alice), whose
 * outbound delivery asks the test DNS and sends to port {@link #mxPort}; and the receiver, {@code mx.remote.test}
 * (bob), the MX of {@code remote.test}, listening on 127.0.0.2 at that port.
 */
final class TwoServers implements AutoCloseable {

    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@remote.test";

    final Path dir;
    final TestDns dns;
    final int mxPort = FreePort.next();
    final int senderMx = FreePort.next();
    final int submission = FreePort.next();
    LetterboxServer sender;
    LetterboxServer receiver;

    TwoServers(Path dir) throws IOException {
        this.dir = dir;
        this.dns = TestDns.start();
        dns.mx("remote.test", 10, "mx.remote.test").a("mx.remote.test", "127.0.0.2");
    }

    /** The sender's configuration file, with {@code extra} YAML lines appended under {@code delivery:}. */
    Path senderConfig(String delivery) throws IOException {
        Path file = dir.resolve("sender.yaml");
        Files.writeString(file, "hostname: mail.example.test\n"
            + "dataDirectory: " + dir.resolve("sender-data") + "\n"
            + "smtp:\n  mx: { port: " + senderMx + " }\n  submission: { port: " + submission + " }\n"
            + "  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
            + "dns:\n  servers: [\"" + dns.server() + "\"]\n  timeoutSeconds: 2\n  dnssec: \"off\"\n"
            + "delivery:\n  mxPort: " + mxPort + "\n  connectTimeoutSeconds: 5\n  commandTimeoutSeconds: 10\n"
            + "  greetingTimeoutSeconds: 10\n  retryJitterPercent: 0\n" + delivery);
        return file;
    }

    TwoServers startSender(String delivery) throws IOException {
        sender = LetterboxServer.start(new ConfigLoader().load(senderConfig(delivery)));
        sender.store().accounts().addDomain("example.test");
        if (!sender.store().accounts().userExists(ALICE)) {
            sender.store().createUser(ALICE, "alice-pw");
        }
        publishSenderRecords();
        return this;
    }

    /** What the sender's owner puts in DNS for example.test: SPF for its loopback address, its DKIM keys, DMARC reject. */
    private void publishSenderRecords() {
        dns.txt("example.test", "v=spf1 ip4:127.0.0.1 -all").txt("_dmarc.example.test", "v=DMARC1; p=reject");
        for (DomainKeys.Info key : new DomainKeys(sender.store().dkimKeys(), Clock.systemUTC()).list("example.test")) {
            dns.txt(key.dnsName(), key.record());
        }
    }

    TwoServers startReceiver() throws IOException {
        Path file = dir.resolve("receiver.yaml");
        Files.writeString(file, "hostname: mx.remote.test\n"
            + "dataDirectory: " + dir.resolve("receiver-data") + "\n"
            + "smtp:\n  mx: { address: 127.0.0.2, port: " + mxPort + " }\n  submission: { enabled: false }\n"
            + "  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { enabled: false }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\nadmin: { enabled: false }\nweb: { https: { enabled: false } }\n"
            + "delivery: { enabled: false }\ndns:\n  servers: [\"" + dns.server() + "\"]\n  timeoutSeconds: 2\n  dnssec: \"off\"\n");
        receiver = LetterboxServer.start(new ConfigLoader().load(file));
        receiver.store().accounts().addDomain("remote.test");
        if (!receiver.store().accounts().userExists(BOB)) {
            receiver.store().createUser(BOB, "bob-pw");
        }
        return this;
    }

    void stopReceiver() {
        receiver.close();
        receiver = null;
    }

    /** The messages in {@code user}'s INBOX on {@code server}, oldest first. */
    static List<String> inbox(LetterboxServer server, String user) throws IOException {
        long mailbox = server.store().inbox(user);
        List<String> messages = new ArrayList<>();
        for (long uid = 1; uid <= 200; uid++) {
            Optional<InputStream> content = server.store().messageContent(mailbox, uid);
            if (content.isPresent()) {
                try (InputStream in = content.get()) {
                    messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return messages;
    }

    /** Waits up to 30 s for {@code condition}. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("timed out waiting");
    }

    static BooleanSupplier unchecked(CheckedCondition condition) {
        return () -> {
            try {
                return condition.holds();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    interface CheckedCondition {
        boolean holds() throws Exception;
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        dns.close();
    }
}
