package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.server.TwoServers.ALICE;
import static org.letterbox.server.TwoServers.BOB;
import static org.letterbox.server.TwoServers.await;
import static org.letterbox.server.TwoServers.inbox;
import static org.letterbox.server.TwoServers.unchecked;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.mailauth.dkim.DkimResult;
import org.letterbox.mailauth.dkim.DkimVerifier;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.testing.LineClient;

/**
 * DKIM on the wired server: a domain gets an RSA and an Ed25519 key when it is added; what a user submits is signed
 * with both before it is stored, so that the local recipient and the remote one (a second Letterbox) get the same
 * signed bytes, which verify against the published records; a rotation publishes first and signs after activation.
 */
@Tag("slow")
class DkimSigningTest {

    @TempDir
    Path dir;
    private TwoServers servers;

    @BeforeEach
    void setUp() throws Exception {
        servers = new TwoServers(dir);
        servers.startReceiver().startSender("");
        servers.sender.store().createUser("carol@example.test", "carol-pw");
    }

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private void submit(String... recipients) throws Exception {
        try (LineClient c = LineClient.connect(servers.submission)) {
            c.readReply();
            c.command("EHLO client.test");
            String plain = Base64.getEncoder().encodeToString("\0alice@example.test\0alice-pw".getBytes(StandardCharsets.UTF_8));
            assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235 ");
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            for (String recipient : recipients) {
                assertThat(c.command("RCPT TO:<" + recipient + ">")).startsWith("250 ");
            }
            assertThat(c.command("DATA")).startsWith("354 ");
            c.send("From: Alice <alice@example.test>").send("To: " + String.join(", ", recipients))
                .send("Subject: signed").send("Message-ID: <s1@example.test>").send("").send("Signed, sealed.").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
    }

    private List<DkimResult> verify(String message) throws Exception {
        Map<String, DnsAnswer<String>> records = new HashMap<>();
        for (DomainKeys.Info key : new DomainKeys(servers.sender.store().dkimKeys(), java.time.Clock.systemUTC()).list("example.test")) {
            records.put(key.dnsName(), new DnsAnswer.Found<>(List.of(key.record()), false));
        }
        return new DkimVerifier(name -> records.getOrDefault(name, new DnsAnswer.NotFound<>(name, false, false)))
            .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), Instant.now());
    }

    private static List<DkimResult.Status> statuses(List<DkimResult> results) {
        return results.stream().map(DkimResult::status).toList();
    }

    @Test
    void aSubmittedMessageIsSignedWithBothKeysAndLocalAndRemoteCopiesVerify() throws Exception {
        List<DomainKeys.Info> keys = new DomainKeys(servers.sender.store().dkimKeys(), java.time.Clock.systemUTC())
            .list("example.test");
        assertThat(keys).extracting(DomainKeys.Info::algorithm).containsExactlyInAnyOrder("rsa-sha256", "ed25519-sha256");
        assertThat(keys).extracting(DomainKeys.Info::state).containsOnly("active");

        submit("carol@example.test", BOB);
        String local = inbox(servers.sender, "carol@example.test").get(0);
        assertThat(local).startsWith("Return-Path: <alice@example.test>\r\nDKIM-Signature: v=1; a=rsa-sha256;");
        assertThat(statuses(verify(local))).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);

        await(unchecked(() -> inbox(servers.receiver, BOB).size() == 1));
        String remote = inbox(servers.receiver, BOB).get(0);
        assertThat(statuses(verify(remote))).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        // the same signed bytes: everything after each copy's own Return-Path line is the same message
        assertThat(remote).endsWith(local.substring(local.indexOf("\r\n") + 2));
    }

    @Test
    void aRotatedPairIsPublishedFirstAndSignsOnlyOnceActivated() throws Exception {
        DomainKeys domainKeys = new DomainKeys(servers.sender.store().dkimKeys(), java.time.Clock.systemUTC());
        String oldSelector = domainKeys.signing("example.test").get(0).selector();
        List<DomainKeys.Info> pending = domainKeys.rotate("example.test");
        String newSelector = pending.stream().filter(key -> key.algorithm().equals("rsa-sha256")).findFirst().orElseThrow().selector();
        assertThat(pending).extracting(DomainKeys.Info::state).containsOnly("pending");
        submit("carol@example.test");
        String before = inbox(servers.sender, "carol@example.test").get(0);
        assertThat(before).contains("s=" + oldSelector + ";");
        assertThat(domainKeys.activate("example.test")).isEqualTo(2);
        submit("carol@example.test");
        String after = inbox(servers.sender, "carol@example.test").get(1);
        assertThat(after).contains("s=" + newSelector + ";").doesNotContain("s=" + oldSelector + ";");
        assertThat(statuses(verify(after))).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(domainKeys.list("example.test")).extracting(DomainKeys.Info::state)
            .containsExactly("retired", "retired", "active", "active");
    }
}
