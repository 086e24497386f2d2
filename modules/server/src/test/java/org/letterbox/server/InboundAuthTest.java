package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.server.TwoServers.BOB;
import static org.letterbox.server.TwoServers.await;
import static org.letterbox.server.TwoServers.inbox;
import static org.letterbox.server.TwoServers.unchecked;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.testing.LineClient;

/**
 * Mail from outside judged at the MX (mx.remote.test, the receiving Letterbox) with its DNS on loopback: a message
 * signed and sent by the other Letterbox passes SPF, DKIM and DMARC and says so in one Authentication-Results
 * header; a forged Authentication-Results that claims our authserv-id is taken out; a DMARC reject is refused, a
 * quarantine goes to Junk; and mail that claims the receiver's own domain without proof never reaches an inbox.
 */
@Tag("slow")
class InboundAuthTest {

    @TempDir
    Path dir;
    private TwoServers servers;

    @BeforeEach
    void setUp() throws Exception {
        servers = new TwoServers(dir);
        servers.startReceiver().startSender("");
    }

    @AfterEach
    void tearDown() {
        servers.close();
    }

    /** Speaks to the receiver's MX directly from 127.0.0.9, as a server (or a forger) outside would. */
    private String mx(String mailFrom, String message) throws Exception {
        try (LineClient c = LineClient.connectFrom("127.0.0.9", servers.receiver.config().smtp().mx().address(), servers.mxPort)) {
            c.readReply();
            c.command("EHLO forger.test");
            assertThat(c.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<bob@remote.test>")).startsWith("250 ");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.sendRaw(message.replace("\r\n.", "\r\n..") + "\r\n.\r\n");
            return c.readReply();
        }
    }

    private List<String> folder(String name) throws Exception {
        long mailbox = servers.receiver.store().mailboxFolder(BOB, name);
        List<String> messages = new ArrayList<>();
        for (long uid = 1; uid < 50; uid++) {
            Optional<InputStream> content = servers.receiver.store().messageContent(mailbox, uid);
            if (content.isPresent()) {
                try (InputStream in = content.get()) {
                    messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return messages;
    }

    @Test
    void mailSignedAndSentByTheOtherServerPassesAndSaysSoOnce() throws Exception {
        try (LineClient c = LineClient.connect(servers.submission)) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8)));
            c.command("MAIL FROM:<alice@example.test>");
            c.command("RCPT TO:<bob@remote.test>");
            c.command("DATA");
            c.send("From: Alice <alice@example.test>").send("To: bob@remote.test").send("Subject: checked")
                .send("Authentication-Results: mx.remote.test; dkim=pass header.d=forged.test").send("").send("Hi.").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        await(unchecked(() -> inbox(servers.receiver, BOB).size() == 1));
        String arrived = inbox(servers.receiver, BOB).get(0);
        assertThat(arrived.split("Authentication-Results:", -1)).hasSize(2);
        assertThat(arrived).contains("Authentication-Results: mx.remote.test;\r\n\tspf=pass")
            .contains("smtp.mailfrom=example.test")
            .contains("dkim=pass header.d=example.test")
            .contains("dmarc=pass (p=reject dis=none) header.from=example.test")
            .doesNotContain("forged.test");
    }

    @Test
    void aForgedMessageFromADomainThatSaysRejectIsRefused() throws Exception {
        String reply = mx("alice@example.test", "From: alice@example.test\r\nTo: bob@remote.test\r\nSubject: pay me\r\n\r\nNow.\r\n");
        assertThat(reply).startsWith("550 5.7.1 Message refused by the DMARC policy of example.test");
        assertThat(inbox(servers.receiver, BOB)).isEmpty();
    }

    @Test
    void aQuarantinePolicySendsTheMessageToJunk() throws Exception {
        servers.dns.txt("_dmarc.shady.test", "v=DMARC1; p=quarantine");
        String reply = mx("promo@shady.test", "From: promo@shady.test\r\nTo: bob@remote.test\r\nSubject: deal\r\n\r\nBuy.\r\n");
        assertThat(reply).startsWith("250 ");
        assertThat(inbox(servers.receiver, BOB)).isEmpty();
        assertThat(folder("Junk")).singleElement().satisfies(message ->
            assertThat(message).contains("dmarc=fail (p=quarantine dis=quarantine) header.from=shady.test"));
    }

    @Test
    void mailClaimingOurOwnDomainWithoutProofNeverReachesAnInbox() throws Exception {
        String reply = mx("ceo@remote.test", "From: ceo@remote.test\r\nTo: bob@remote.test\r\nSubject: urgent\r\n\r\nWire it.\r\n");
        assertThat(reply).startsWith("550 5.7.1 The From: domain remote.test is ours");
        String envelope = mx("ceo@remote.test", "From: someone@elsewhere.test\r\nTo: bob@remote.test\r\nSubject: hi\r\n\r\nx\r\n");
        assertThat(envelope).startsWith("550 5.7.1 The sender domain remote.test is ours");
        assertThat(inbox(servers.receiver, BOB)).isEmpty();
    }

    @Test
    void aDomainWithoutPoliciesIsDeliveredWithItsResultsRecorded() throws Exception {
        String reply = mx("news@plain.test", "From: news@plain.test\r\nTo: bob@remote.test\r\nSubject: news\r\n\r\nHello.\r\n");
        assertThat(reply).startsWith("250 ");
        assertThat(inbox(servers.receiver, BOB)).singleElement().satisfies(message -> assertThat(message)
            .contains("spf=none").contains("dkim=none").contains("dmarc=none"));
    }
}
