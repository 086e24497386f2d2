package org.letterbox.delivery.client;

import org.letterbox.testing.FakeSmtpServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.letterbox.testing.FreePort;

/** One transaction of our SMTP client against a scripted server: what goes on the wire and what comes back. */
class MessageTransferTest {

    private static final SmtpTimeouts QUICK = SmtpTimeouts.RFC_5321.cappedAt(Duration.ofSeconds(2));
    private FakeSmtpServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = FakeSmtpServer.start("127.0.0.2", FreePort.next());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static MessageContent content(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }
        };
    }

    private MessageTransfer.Result send(Envelope envelope, MessageContent content) throws Exception {
        try (SmtpConnection connection = SmtpConnection.open(new InetSocketAddress("127.0.0.2", server.port()),
                Optional.empty(), QUICK)) {
            assertThat(connection.greeting().code()).isEqualTo(220);
            Capabilities peer = Capabilities.of(connection.command("EHLO sender.test"));
            MessageTransfer.Result result = MessageTransfer.send(connection, peer, envelope, content);
            connection.quit();
            return result;
        }
    }

    private static Envelope to(String sender, String... recipients) {
        return new Envelope(sender, java.util.Arrays.stream(recipients).map(Envelope.Recipient::of).toList(),
            Optional.empty(), Optional.empty());
    }

    @Test
    void everyRecipientGetsItsOwnReplyInOnePipelinedTransaction() throws Exception {
        server.replies(line -> line.startsWith("RCPT TO:<nobody@") ? "550 5.1.1 no such user" : null);
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test", "nobody@there.test", "b@there.test"),
            content("Subject: hi\r\n\r\nhello\r\n"));
        assertThat(result.replies().get("a@there.test").code()).isEqualTo(250);
        assertThat(result.replies().get("nobody@there.test").code()).isEqualTo(550);
        assertThat(result.replies().get("nobody@there.test").enhancedCode()).isEqualTo("5.1.1");
        assertThat(result.replies().get("b@there.test").code()).isEqualTo(250);
        assertThat(server.received()).hasSize(1);
        assertThat(server.received().get(0).rcptTo()).containsExactly("RCPT TO:<a@there.test>", "RCPT TO:<b@there.test>");
        assertThat(server.commands()).containsSubsequence("MAIL FROM:<me@here.test> SIZE=22",
            "RCPT TO:<a@there.test>", "DATA", "QUIT");
    }

    @Test
    void withoutPipeliningCommandsGoOneByOneAndDataIsSkippedWhenNobodyIsTaken() throws Exception {
        server.extensions("8BITMIME").replies(line -> line.startsWith("RCPT") ? "450 4.2.1 try later" : null);
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test"), content("x\r\n"));
        assertThat(result.replies().get("a@there.test").code()).isEqualTo(450);
        assertThat(result.replies().get("a@there.test").transientFailure()).isTrue();
        assertThat(server.commands()).doesNotContain("DATA");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aRefusedSenderFailsEveryRecipientWithItsReply() throws Exception {
        server.replies(line -> line.startsWith("MAIL") ? "553 5.7.1 sender refused" : null);
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test", "b@there.test"), content("x\r\n"));
        assertThat(result.replies().values()).extracting(SmtpReply::code).containsExactly(553, 553);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void theFinalReplyToDataIsEveryTakenRecipientsResult() throws Exception {
        server.replies(line -> line.equals(".") ? "451 4.3.0 disk trouble" : null);
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test", "b@there.test"), content("x\r\n"));
        assertThat(result.replies().values()).extracting(SmtpReply::code).containsExactly(451, 451);
    }

    @Test
    void linesStartingWithADotAreStuffedAndTheMessageArrivesByteForByte() throws Exception {
        String message = "Subject: dots\r\n\r\n.leading dot\r\n..two\r\nlast line without end";
        send(to("me@here.test", "a@there.test"), content(message));
        assertThat(server.received().get(0).text()).isEqualTo(message + "\r\n");
    }

    @Test
    void ourOwnReturnPathHeaderIsNotSentOn() throws Exception {
        send(to("me@here.test", "a@there.test"), content("Return-Path: <me@here.test>\r\nSubject: s\r\n\r\nbody\r\n"));
        assertThat(server.received().get(0).text()).isEqualTo("Subject: s\r\n\r\nbody\r\n");
    }

    @Test
    void eightBitContentIsDeclaredToAPeerWithEightBitMime() throws Exception {
        send(to("me@here.test", "a@there.test"), content("Subject: s\r\n\r\nGrüße\r\n"));
        assertThat(server.commands()).anyMatch(line -> line.startsWith("MAIL FROM:<me@here.test>") && line.endsWith(" BODY=8BITMIME"));
        assertThat(server.received().get(0).text()).isEqualTo("Subject: s\r\n\r\nGrüße\r\n");
    }

    @Test
    void eightBitContentIsConvertedToQuotedPrintableForAPeerWithoutEightBitMime() throws Exception {
        server.extensions("PIPELINING", "SIZE 100000");
        send(to("me@here.test", "a@there.test"),
            content("Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"));
        assertThat(server.commands()).noneMatch(line -> line.contains("8BITMIME"));
        assertThat(server.received().get(0).text()).isEqualTo("Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n");
    }

    @Test
    void eightBitHeadersToAPeerWithoutEightBitMimeBounceWithTheReason() throws Exception {
        server.extensions("PIPELINING");
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test"), content("Subject: Grüße\r\n\r\nx\r\n"));
        SmtpReply reply = result.replies().get("a@there.test");
        assertThat(reply.code()).isEqualTo(554);
        assertThat(reply.enhancedCode()).isEqualTo("5.6.3");
        assertThat(server.commands()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void utf8AddressesNeedAPeerWithSmtpUtf8() throws Exception {
        send(to("me@here.test", "jürgen@there.test"), content("x\r\n"));
        assertThat(server.commands()).anyMatch(line -> line.startsWith("MAIL FROM:<me@here.test>") && line.endsWith(" SMTPUTF8"));
        assertThat(server.commands()).contains("RCPT TO:<jürgen@there.test>");

        server.extensions("PIPELINING", "8BITMIME");
        MessageTransfer.Result refused = send(to("me@here.test", "jürgen@there.test"), content("x\r\n"));
        assertThat(refused.replies().get("jürgen@there.test").code()).isEqualTo(553);
        assertThat(refused.replies().get("jürgen@there.test").enhancedCode()).isEqualTo("5.6.7");
    }

    @Test
    void aMessageOverThePeersSizeLimitIsRefusedBeforeSending() throws Exception {
        server.extensions("PIPELINING", "SIZE 10");
        MessageTransfer.Result result = send(to("me@here.test", "a@there.test"), content("Subject: too long\r\n\r\nx\r\n"));
        assertThat(result.replies().get("a@there.test").code()).isEqualTo(552);
        assertThat(result.replies().get("a@there.test").enhancedCode()).isEqualTo("5.3.4");
        assertThat(server.commands()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void dsnParametersGoOnWhenThePeerOffersDsn() throws Exception {
        Envelope envelope = new Envelope("me@here.test",
            List.of(new Envelope.Recipient("a@there.test", Optional.of("SUCCESS,FAILURE"), Optional.of("rfc822;a@there.test"))),
            Optional.of("QQ314159"), Optional.of("HDRS"));
        send(envelope, content("x\r\n"));
        assertThat(server.commands()).contains("MAIL FROM:<me@here.test> SIZE=3 RET=HDRS ENVID=QQ314159",
            "RCPT TO:<a@there.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@there.test");

        server.extensions("PIPELINING");
        send(envelope, content("x\r\n"));
        assertThat(server.commands()).contains("MAIL FROM:<me@here.test>", "RCPT TO:<a@there.test>");
    }

    @Test
    void theNullSenderIsSentAsAnEmptyPath() throws Exception {
        send(to("", "a@there.test"), content("x\r\n"));
        assertThat(server.commands()).contains("MAIL FROM:<> SIZE=3");
    }

    @Test
    void aServerThatStopsAnsweringTimesOut() throws Exception {
        server.replies(line -> line.startsWith("MAIL") ? FakeSmtpServer.STALL : null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> send(to("me@here.test", "a@there.test"), content("x\r\n")))
            .isInstanceOf(SmtpConnection.SmtpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServerThatDropsTheConnectionIsAnError() {
        server.replies(line -> line.startsWith("RCPT") ? FakeSmtpServer.DROP : null);
        assertThatThrownBy(() -> send(to("me@here.test", "a@there.test"), content("x\r\n")))
            .isInstanceOf(SmtpConnection.SmtpProtocolException.class);
    }
}
