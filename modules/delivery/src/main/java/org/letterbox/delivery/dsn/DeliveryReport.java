package org.letterbox.delivery.dsn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes one RFC 3464 report: a {@code multipart/report; report-type=delivery-status} with a text part a person
 * reads, the {@code message/delivery-status} part a program reads, and the original message's headers
 * ({@code text/rfc822-headers}), or the whole message ({@code message/rfc822}) when RET=FULL asked for it and it is
 * small enough.
 */
public final class DeliveryReport {

    /** The largest original sent back whole; a larger one comes back as its headers. */
    public static final int MAX_RETURNED_BYTES = 512 * 1024;
    /** The most header bytes of the original copied into a report. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US)
        .withZone(ZoneOffset.UTC);

    private DeliveryReport() {
    }

    /**
     * The original message as the report describes it.
     *
     * @param sender its envelope sender
     * @param envelopeId the ENVID of its submission
     * @param arrival when it was queued
     * @param returnFull whether RET=FULL asked for the whole message back
     */
    public record Original(String sender, Optional<String> envelopeId, Instant arrival, boolean returnFull, long size) {
    }

    /** The report's bytes. {@code content} opens the original message (read once). */
    public static byte[] write(String reportingHost, String to, Original original, List<ReportedRecipient> recipients,
                               Instant now, ContentSource content) throws IOException {
        ReportedRecipient.Action action = recipients.get(0).action();
        String boundary = "=_report_" + UUID.randomUUID();
        StringBuilder text = new StringBuilder();
        text.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingHost).append(">\r\n");
        text.append("To: <").append(to).append(">\r\n");
        text.append("Subject: ").append(subject(action)).append("\r\n");
        text.append("Date: ").append(DATE.format(now)).append("\r\n");
        text.append("Message-ID: <").append(UUID.randomUUID()).append("@").append(reportingHost).append(">\r\n");
        text.append("Auto-Submitted: auto-replied\r\n");
        text.append("MIME-Version: 1.0\r\n");
        text.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        text.append("\r\nThis is a delivery status notification (RFC 3464).\r\n\r\n");

        text.append("--").append(boundary).append("\r\n");
        text.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        text.append(humanText(reportingHost, original, recipients));

        text.append("\r\n--").append(boundary).append("\r\n");
        text.append("Content-Type: message/delivery-status\r\n\r\n");
        text.append("Reporting-MTA: dns; ").append(reportingHost).append("\r\n");
        original.envelopeId().ifPresent(id -> text.append("Original-Envelope-Id: ").append(oneLine(id)).append("\r\n"));
        text.append("Arrival-Date: ").append(DATE.format(original.arrival())).append("\r\n");
        for (ReportedRecipient recipient : recipients) {
            text.append("\r\n");
            recipient.originalRecipient().ifPresent(orcpt -> text.append("Original-Recipient: ").append(oneLine(orcpt)).append("\r\n"));
            text.append("Final-Recipient: rfc822; ").append(oneLine(recipient.address())).append("\r\n");
            text.append("Action: ").append(recipient.action()).append("\r\n");
            text.append("Status: ").append(recipient.status()).append("\r\n");
            recipient.remoteMta().ifPresent(mta -> text.append("Remote-MTA: dns; ").append(oneLine(mta)).append("\r\n"));
            recipient.diagnostic().ifPresent(diagnostic -> text.append("Diagnostic-Code: smtp; ").append(oneLine(diagnostic)).append("\r\n"));
            recipient.lastAttempt().ifPresent(at -> text.append("Last-Attempt-Date: ").append(DATE.format(at)).append("\r\n"));
            recipient.willRetryUntil().ifPresent(at -> text.append("Will-Retry-Until: ").append(DATE.format(at)).append("\r\n"));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(("\r\n--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
        boolean whole = original.returnFull() && original.size() <= MAX_RETURNED_BYTES;
        try (InputStream in = content.open()) {
            if (whole) {
                out.writeBytes("Content-Type: message/rfc822\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                in.transferTo(out);
            } else {
                out.writeBytes("Content-Type: text/rfc822-headers\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(headers(in));
            }
        }
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Opens the original message. */
    public interface ContentSource {
        InputStream open() throws IOException;
    }

    private static String subject(ReportedRecipient.Action action) {
        return switch (action) {
            case FAILED -> "Undelivered Mail Returned to Sender";
            case DELAYED -> "Delayed Mail (still being retried)";
            case RELAYED -> "Successful Mail Delivery Report (relayed)";
        };
    }

    private static String humanText(String host, Original original, List<ReportedRecipient> recipients) {
        StringBuilder text = new StringBuilder();
        ReportedRecipient.Action action = recipients.get(0).action();
        text.append("This is the mail system at ").append(host).append(".\r\n\r\n");
        switch (action) {
            case FAILED -> text.append("Your message could not be delivered to the recipients below. This is final;\r\n"
                + "the message will not be tried again.\r\n");
            case DELAYED -> text.append("Your message has not been delivered yet to the recipients below. It is still\r\n"
                + "being tried; you need not send it again. You will be told if it finally fails.\r\n");
            case RELAYED -> text.append("Your message was passed on to the recipients' mail servers below, which do not\r\n"
                + "report deliveries themselves.\r\n");
        }
        text.append("\r\n");
        for (ReportedRecipient recipient : recipients) {
            text.append("<").append(oneLine(recipient.address())).append(">: ");
            text.append(recipient.diagnostic().map(DeliveryReport::oneLine).orElse(recipient.status()));
            recipient.remoteMta().ifPresent(mta -> text.append("\r\n    (answered by ").append(oneLine(mta)).append(")"));
            recipient.willRetryUntil().ifPresent(at -> text.append("\r\n    (tried until ").append(DATE.format(at)).append(")"));
            text.append("\r\n");
        }
        return text.toString();
    }

    /** The header block of a message, up to its empty line, at most {@value #MAX_HEADER_BYTES} bytes of whole lines. */
    public static byte[] headers(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                line.reset();
                if (bytes.length <= 2 && (bytes.length == 1 || bytes[0] == '\r')) {
                    break;
                }
                if (out.size() + bytes.length > MAX_HEADER_BYTES) {
                    break;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    /** A value for one header line: control characters (line breaks above all) become spaces, at most 900 characters. */
    static String oneLine(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(900).forEach(cp -> out.appendCodePoint(cp < ' ' || cp == 0x7f ? ' ' : cp));
        return out.toString();
    }
}
