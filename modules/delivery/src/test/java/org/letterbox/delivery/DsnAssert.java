package org.letterbox.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeMessage;

/**
 * Reads a delivery report with a MIME parser (JavaMail) as a mail client would, and checks it against RFC 3464: a
 * {@code multipart/report; report-type=delivery-status} of a text part, a {@code message/delivery-status} part of
 * header groups (the message's, then one per recipient), and the returned headers or message.
 */
final class DsnAssert {

    private final String raw;
    private final MimeMessage message;
    private final InternetHeaders perMessage;
    private final List<InternetHeaders> perRecipient = new ArrayList<>();
    private final String returned;
    private final String returnedType;

    private DsnAssert(String raw) throws Exception {
        this.raw = raw;
        message = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        BodyPart status = parts.getBodyPart(1);
        assertThat(status.getContentType()).startsWith("message/delivery-status");
        try (InputStream in = status.getInputStream()) {
            String[] groups = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\r?\n\r?\n");
            perMessage = headers(groups[0]);
            for (int i = 1; i < groups.length; i++) {
                perRecipient.add(headers(groups[i]));
            }
        }
        assertThat(perMessage.getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.example.test");
        assertThat(perMessage.getHeader("Arrival-Date", null)).isNotBlank();
        BodyPart original = parts.getBodyPart(2);
        returnedType = original.getContentType();
        try (InputStream in = original.getInputStream()) {
            returned = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InternetHeaders headers(String group) throws Exception {
        return new InternetHeaders(new ByteArrayInputStream((group + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    static DsnAssert of(String raw) throws Exception {
        return new DsnAssert(raw);
    }

    DsnAssert isReportTo(String address) throws Exception {
        assertThat(message.getHeader("To", null)).isEqualTo("<" + address + ">");
        assertThat(message.getHeader("From", null)).contains("MAILER-DAEMON@mail.example.test");
        assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        return this;
    }

    /** A per-recipient group for {@code address} with this Action and Status. */
    DsnAssert hasRecipient(String address, String action, String status) {
        assertThat(group(address).getHeader("Action", null)).isEqualTo(action);
        assertThat(group(address).getHeader("Status", null)).isEqualTo(status);
        return this;
    }

    DsnAssert hasDiagnostic(String diagnostic) {
        assertThat(perRecipient).anyMatch(group -> diagnostic.equals(group.getHeader("Diagnostic-Code", null)));
        return this;
    }

    DsnAssert hasRemoteMta(String host) {
        assertThat(perRecipient).anyMatch(group -> ("dns; " + host).equals(group.getHeader("Remote-MTA", null)));
        return this;
    }

    DsnAssert hasHeader(String name) {
        assertThat(perRecipient).anyMatch(group -> group.getHeader(name, null) != null);
        return this;
    }

    DsnAssert returnsHeadersOf(String line) {
        assertThat(returnedType).startsWith("text/rfc822-headers");
        assertThat(returned).contains(line).doesNotContain("Hello Bob.");
        return this;
    }

    DsnAssert returnsWholeMessage(String bodyLine) {
        assertThat(returnedType).startsWith("message/rfc822");
        assertThat(returned).contains(bodyLine);
        return this;
    }

    DsnAssert doesNotMention(String text) {
        assertThat(raw).doesNotContain(text);
        return this;
    }

    private InternetHeaders group(String address) {
        return perRecipient.stream()
            .filter(group -> ("rfc822; " + address).equals(group.getHeader("Final-Recipient", null)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no report on " + address + " in\n" + raw));
    }
}
