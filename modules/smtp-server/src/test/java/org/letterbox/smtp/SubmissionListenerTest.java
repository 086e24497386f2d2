package org.letterbox.smtp;

import org.letterbox.net.TlsMode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TestTls;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/** Submission (587) and submissions (465): what Thunderbird and Outlook do. */
@Tag("slow")
class SubmissionListenerTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /**
     * A message parsed from raw bytes: Angus then sends those bytes as they are. (Building one with setText would
     * look up a text/plain handler, and James's javax.mail on the class path registers one Angus cannot use.)
     */
    static MimeMessage rawMessage(Session session, String subject, String body) throws Exception {
        String raw = "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: " + subject
            + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + body + "\r\n";
        return new MimeMessage(session, new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authIsOfferedOnlyAfterStartTlsWhenLoopbackPlaintextIsSwitchedOff() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).plaintextLoginOnLoopback(false));
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.send("EHLO client.test");
            String before = c.readFullReply();
            assertThat(before).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("538 5.7.11");
            assertThat(c.command("STARTTLS")).startsWith("220 ");
            c.startTls();
            c.send("EHLO client.test");
            String after = c.readFullReply();
            assertThat(after).contains("AUTH LOGIN PLAIN").doesNotContain("STARTTLS");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 2.7.0");
        }
    }

    @Test
    void plaintextAuthIsAllowedOnLoopbackByDefault() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
        }
    }

    @Test
    void mailNeedsAuthFirst() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("530 5.7.0");
        }
    }

    @Test
    void authLoginWorksAndWrongPasswordIsRefused() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH LOGIN")).startsWith("334 ");
            assertThat(c.command(Base64.getEncoder().encodeToString("alice@example.test".getBytes()))).startsWith("334 ");
            assertThat(c.command(Base64.getEncoder().encodeToString("wrong".getBytes()))).startsWith("535 5.7.8");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
        }
    }

    @Test
    void theEnvelopeSenderMustBeAnAddressTheUserOwns() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"));
            assertThat(c.command("MAIL FROM:<bob@example.test>")).startsWith("553 5.7.1");
            assertThat(c.command("MAIL FROM:<ceo@elsewhere.test>")).startsWith("553 5.7.1");
            // sales@ is an alias that points to alice: hers to use
            assertThat(c.command("MAIL FROM:<sales@example.test>")).startsWith("250 ");
            c.command("RSET");
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
        }
    }

    @Test
    void mailToRemoteRecipientsIsQueuedAndLocalOnesAreDelivered() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"));
            assertThat(c.command("MAIL FROM:<alice@example.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<friend@remote.test>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
            c.command("DATA");
            c.send("Subject: hi").send("").send("x").send(".");
            assertThat(c.readReply()).startsWith("250 ");
        }
        assertThat(fixture.queue()).containsExactly("alice@example.test -> friend@remote.test");
        assertThat(fixture.inboxText("bob@example.test")).singleElement()
            .satisfies(m -> assertThat(m).contains("with ESMTPA id").contains("(authenticated as alice@example.test)"));
    }

    @Test
    void angusMailSubmitsOverImplicitTls() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION)
            .tls(TlsMode.IMPLICIT, TestTls.serverContext()));
        Properties props = new Properties();
        props.put("mail.smtps.host", "127.0.0.1");
        props.put("mail.smtps.port", String.valueOf(port));
        props.put("mail.smtps.auth", "true");
        props.put("mail.smtps.timeout", "10000");
        props.put("mail.smtps.ssl.socketFactory", TestTls.clientContext().getSocketFactory());
        props.put("mail.smtps.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(props);
        MimeMessage message = rawMessage(session, "over TLS", "hello over implicit TLS");
        try (Transport transport = session.getTransport("smtps")) {
            transport.connect("alice@example.test", "alice-pw");
            transport.sendMessage(message, message.getAllRecipients());
        }
        assertThat(fixture.inboxText("bob@example.test")).singleElement().satisfies(m -> {
            assertThat(m).contains("Subject: over TLS").contains("hello over implicit TLS");
            assertThat(m).containsPattern("with ESMTPSA id|with ESMTPSA\\b").contains("(using TLSv1.");
        });
    }

    @Test
    void angusMailSubmitsWithStartTls() throws Exception {
        int port = fixture.start(b -> b.role(SmtpSettings.Role.SUBMISSION).plaintextLoginOnLoopback(false));
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", TestTls.clientContext().getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(props);
        MimeMessage message = rawMessage(session, "starttls", "hello");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect("alice@example.test", "alice-pw");
            transport.sendMessage(message, message.getAllRecipients());
        }
        assertThat(fixture.inboxText("bob@example.test")).singleElement()
            .satisfies(m -> assertThat(m).contains("Subject: starttls"));
    }

    private static String submit(LineClient c, String mailFrom, String message) throws Exception {
        assertThat(c.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250 ");
        assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("250 ");
        assertThat(c.command("DATA")).startsWith("354 ");
        c.sendRaw(message + "\r\n.\r\n");
        return c.readReply();
    }

    /** The header From: must be the user's, like the envelope sender: no sending as the boss with one's own login. */
    @Test
    void aFromHeaderTheUserDoesNotOwnIsRefusedAndTheirOwnIsAccepted() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
            assertThat(submit(c, "alice@example.test", "From: The Boss <bob@example.test>\r\nSubject: pay this\r\n\r\nnow"))
                .isEqualTo("550 5.7.1 From: <bob@example.test> is not an address of alice@example.test");
            assertThat(submit(c, "alice@example.test", "From: alice@example.test,\r\n ceo@remote.test\r\nSubject: two\r\n\r\nx"))
                .isEqualTo("550 5.7.1 From: <ceo@remote.test> is not an address of alice@example.test");
            assertThat(submit(c, "alice@example.test", "From: Alice <alice@example.test>\r\nSubject: mine\r\n\r\nok"))
                .startsWith("250 2.0.0");
        }
        assertThat(fixture.inboxText("bob@example.test")).singleElement().satisfies(m -> assertThat(m).contains("Subject: mine"));
    }

    @Test
    void aUserAllowedAnyFromMaySubmitWithAnotherAddressInTheHeaderButNotInTheEnvelope() throws Exception {
        fixture.store.accounts().setAnyFromAllowed("alice@example.test", true);
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
            assertThat(submit(c, "alice@example.test", "From: Newsletter <news@remote.test>\r\nSubject: shared\r\n\r\nx"))
                .startsWith("250 2.0.0");
            assertThat(c.command("MAIL FROM:<news@remote.test>")).startsWith("553 5.7.1");
        }
        fixture.store.accounts().setAnyFromAllowed("alice@example.test", false);
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
            assertThat(submit(c, "alice@example.test", "From: news@remote.test\r\nSubject: again\r\n\r\nx"))
                .isEqualTo("550 5.7.1 From: <news@remote.test> is not an address of alice@example.test");
        }
    }

    @Test
    void theNullSenderIsRefusedOnSubmission() throws Exception {
        int port = fixture.startSubmission();
        try (LineClient c = LineClient.connect(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("AUTH PLAIN " + plain("alice@example.test", "alice-pw"))).startsWith("235 ");
            assertThat(c.command("MAIL FROM:<>")).isEqualTo("553 5.7.1 The null sender is not allowed on submission");
        }
    }
}
