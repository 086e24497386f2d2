package org.letterbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.letterbox.server.TwoServers.ALICE;
import static org.letterbox.server.TwoServers.BOB;
import static org.letterbox.server.TwoServers.await;
import static org.letterbox.server.TwoServers.inbox;
import static org.letterbox.server.TwoServers.unchecked;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail for another server, end to end between two real Letterbox servers on loopback: submitted the way Thunderbird
 * does (Angus Mail, STARTTLS, AUTH), queued, sent by outbound delivery over opportunistic TLS, stored by the
 * receiving Letterbox; bounced into the sender's INBOX when the receiver refuses it; held while the receiver is
 * down and sent when it is back.
 */
@org.junit.jupiter.api.Tag("slow")
class OutboundDeliveryTest {

    @TempDir
    Path dir;
    private TwoServers servers;

    @BeforeEach
    void setUp() throws Exception {
        servers = new TwoServers(dir);
    }

    @AfterEach
    void tearDown() {
        servers.close();
    }

    private byte[] submit(String to, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(servers.submission));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "*");
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        // a raw message: Angus Mail cannot build a text part while James's javax.mail is on the class path
        String raw = "From: Alice Example <alice@example.test>\r\nTo: <" + to + ">\r\nSubject: " + subject
            + "\r\nMessage-ID: <" + java.util.UUID.randomUUID() + "@example.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Grüße aus dem Test.\r\nA line that starts with a dot follows:\r\n.dot\r\n";
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(ALICE, "alice-pw");
            transport.sendMessage(message, message.getAllRecipients());
        }
        return bytes.toByteArray();
    }

    @Test
    void aMessageSubmittedLikeThunderbirdReachesTheRemoteMailboxWithTheSameBytes() throws Exception {
        servers.startReceiver().startSender("");
        byte[] sent = submit(BOB, "Über den Zaun");
        await(unchecked(() -> inbox(servers.receiver, BOB).size() == 1));
        String arrived = inbox(servers.receiver, BOB).get(0);
        // the receiver judged it (SPF, both DKIM signatures, DMARC all pass) before its own Received header
        assertThat(arrived).startsWith("Return-Path: <alice@example.test>\r\nAuthentication-Results: mx.remote.test;\r\n"
            + "\tspf=pass smtp.mailfrom=example.test;\r\n\tdkim=pass header.d=example.test");
        assertThat(arrived).contains("\tdmarc=pass (p=reject dis=none) header.from=example.test\r\nReceived: from mail.example.test");
        assertThat(arrived).endsWith(new String(sent, StandardCharsets.UTF_8));
        // the receiver's own Received header says the hop was encrypted; the sender's Received follows it
        int first = arrived.indexOf("Received: from");
        String receiverReceived = arrived.substring(first, arrived.indexOf("\r\nReceived: from", first));
        assertThat(receiverReceived).contains("with ESMTPS").contains("using TLSv1.3");
        assertThat(arrived.split("\r\nReceived: from", -1)).hasSize(3);
        await(() -> servers.sender.store().queue().size() == 0);
        assertThat(inbox(servers.sender, ALICE)).isEmpty();
    }

    @Test
    void aRecipientTheRemoteServerDoesNotKnowBouncesIntoTheSendersInbox() throws Exception {
        servers.startReceiver().startSender("");
        submit("nobody@remote.test", "to nobody");
        await(unchecked(() -> inbox(servers.sender, ALICE).size() == 1));
        await(() -> servers.sender.store().queue().size() == 0);
        // read as a mail client reads it (James's javax.mail: its MIME parser, not ours)
        javax.mail.internet.MimeMessage bounce = new javax.mail.internet.MimeMessage(
            javax.mail.Session.getInstance(new Properties()),
            new ByteArrayInputStream(inbox(servers.sender, ALICE).get(0).getBytes(StandardCharsets.UTF_8)));
        assertThat(bounce.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(bounce.getHeader("To", null)).isEqualTo("<alice@example.test>");
        javax.mail.Multipart parts = (javax.mail.Multipart) bounce.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        String status;
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        javax.mail.internet.InternetHeaders recipient = new javax.mail.internet.InternetHeaders(new ByteArrayInputStream(
            (status.trim().split("\r\n\r\n")[1] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(recipient.getHeader("Final-Recipient", null)).isEqualTo("rfc822; nobody@remote.test");
        assertThat(recipient.getHeader("Action", null)).isEqualTo("failed");
        assertThat(recipient.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(recipient.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.remote.test");
        assertThat(recipient.getHeader("Diagnostic-Code", null)).startsWith("smtp; 550 5.1.1");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(inbox(servers.receiver, BOB)).isEmpty();
    }

    @Test
    void mailWaitsWhileTheRemoteServerIsDownAndGoesWhenItIsBack() throws Exception {
        servers.startSender("");
        submit(BOB, "patience");
        await(() -> servers.sender.store().queue().list().stream().anyMatch(entry -> entry.attempts() == 1));
        assertThat(servers.sender.store().queue().list().get(0).lastError().orElseThrow())
            .startsWith("451 4.4.1 no server of remote.test took the message").contains("mx.remote.test");
        servers.startReceiver();
        assertThat(servers.sender.store().queue().retryNow(Optional.empty())).isEqualTo(1);
        await(unchecked(() -> inbox(servers.receiver, BOB).size() == 1));
        await(() -> servers.sender.store().queue().size() == 0);
        assertThat(inbox(servers.sender, ALICE)).isEmpty();
    }
}
