package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** 20 concurrent sessions send 50 messages each; all 1,000 arrive, byte for byte. */
@Tag("slow")
class SmtpLoadTest {

    private SmtpFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new SmtpFixture();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    static String body(int session, int message) {
        StringBuilder body = new StringBuilder("Subject: load ").append(session).append('-').append(message).append("\r\n\r\n");
        for (int i = 0; i < 40; i++) {
            body.append("session ").append(session).append(" message ").append(message).append(" line ").append(i).append("\r\n");
        }
        return body.toString();
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void twentySessionsTimesFiftyMessagesAllArriveByteIdentical() throws Exception {
        int port = fixture.startMx();
        int sessions = 20;
        int messages = 50;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            int session = s;
            futures.add(pool.submit(() -> {
                List<String> sent = new ArrayList<>();
                try (LineClient c = LineClient.connect(port)) {
                    c.readReply();
                    c.command("EHLO load.test");
                    for (int m = 0; m < messages; m++) {
                        assertThat(c.command("MAIL FROM:<load@remote.test>")).startsWith("250 ");
                        assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
                        assertThat(c.command("DATA")).startsWith("354 ");
                        String body = body(session, m);
                        c.sendRaw(body + ".\r\n");
                        assertThat(c.readReply()).startsWith("250 ");
                        sent.add(sha256(body.getBytes(StandardCharsets.UTF_8)));
                    }
                    c.command("QUIT");
                }
                return sent;
            }));
        }
        Set<String> sent = new HashSet<>();
        for (Future<List<String>> future : futures) {
            sent.addAll(future.get());
        }
        pool.shutdown();

        Set<String> received = new HashSet<>();
        for (byte[] stored : fixture.inbox("alice@example.test")) {
            String text = new String(stored, StandardCharsets.UTF_8);
            // strip the two headers we prepend (Return-Path and the multi-line Received)
            int subject = text.indexOf("Subject: load ");
            received.add(sha256(text.substring(subject).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(sent).hasSize(sessions * messages);
        assertThat(received).isEqualTo(sent);
        assertThat(fixture.inbox("alice@example.test")).hasSize(sessions * messages);
    }
}
