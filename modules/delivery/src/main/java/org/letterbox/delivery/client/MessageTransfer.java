package org.letterbox.delivery.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mail transaction on an open, greeted connection: MAIL, RCPT for each recipient, DATA, the message, the final
 * dot. The result holds one reply per recipient: the server's own, or one we made up with the reason (a size the
 * peer refuses, an 8-bit message it cannot take). A broken connection is thrown as an {@link IOException}; then
 * nothing was delivered by this transaction.
 */
public final class MessageTransfer {

    /** Each recipient's reply, in the envelope's order. */
    public record Result(Map<String, SmtpReply> replies) {
        public Result {
            replies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replies));
        }
    }

    private MessageTransfer() {
    }

    /** Sends {@code content} to {@code envelope}'s recipients over {@code connection}, whose EHLO said {@code peer}. */
    public static Result send(SmtpConnection connection, Capabilities peer, Envelope envelope, MessageContent content)
            throws IOException {
        boolean utf8 = envelope.needsSmtpUtf8();
        if (utf8 && !peer.smtpUtf8()) {
            return everyone(envelope, SmtpReply.local(553, "5.6.7 the receiving server does not support SMTPUTF8,"
                + " which an address of this message needs (RFC 6531)"));
        }
        if (peer.maxSize() > 0 && content.size() > peer.maxSize()) {
            return everyone(envelope, SmtpReply.local(552, "5.3.4 the message (" + content.size()
                + " bytes) is larger than the receiving server takes (" + peer.maxSize() + " bytes)"));
        }
        Body body = body(content, peer);
        if (body.refusal != null) {
            return everyone(envelope, body.refusal);
        }

        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(envelope.sender()).append('>');
        if (peer.size()) {
            mail.append(" SIZE=").append(body.size);
        }
        if (body.eightBit && peer.eightBitMime()) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        if (peer.dsn()) {
            envelope.returnContent().ifPresent(ret -> mail.append(" RET=").append(ret));
            envelope.envelopeId().ifPresent(id -> mail.append(" ENVID=").append(id));
        }
        List<String> rcpts = new ArrayList<>();
        for (Envelope.Recipient recipient : envelope.recipients()) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(recipient.address()).append('>');
            if (peer.dsn()) {
                recipient.notifyOn().ifPresent(notify -> rcpt.append(" NOTIFY=").append(notify));
                recipient.originalRecipient().ifPresent(orcpt -> rcpt.append(" ORCPT=").append(orcpt));
            }
            rcpts.add(rcpt.toString());
        }

        SmtpTimeouts timeouts = connection.timeouts();
        Map<String, SmtpReply> replies = new LinkedHashMap<>();
        List<String> accepted = new ArrayList<>();
        SmtpReply dataReply;
        if (peer.pipelining()) {
            connection.send(mail.toString());
            for (String line : rcpts) {
                connection.send(line);
            }
            connection.send("DATA");
            connection.flush();
            SmtpReply mailReply = connection.read(timeouts.command());
            for (Envelope.Recipient recipient : envelope.recipients()) {
                SmtpReply reply = connection.read(timeouts.command());
                replies.put(recipient.address(), mailReply.positive() ? reply : mailReply);
                if (mailReply.positive() && reply.positive()) {
                    accepted.add(recipient.address());
                }
            }
            dataReply = connection.read(timeouts.dataInitiation());
            if (dataReply.code() == 354 && accepted.isEmpty()) {
                // a server that invited data for nobody gets an empty message, which it cannot deliver
                connection.dataOutput().write(new byte[] {'.', '\r', '\n'});
                connection.flush();
                connection.read(timeouts.dataTermination());
                return new Result(replies);
            }
            if (!mailReply.positive() || accepted.isEmpty()) {
                return new Result(replies);
            }
        } else {
            SmtpReply mailReply = connection.command(mail.toString());
            if (!mailReply.positive()) {
                return everyone(envelope, mailReply);
            }
            for (int i = 0; i < rcpts.size(); i++) {
                SmtpReply reply = connection.command(rcpts.get(i));
                String address = envelope.recipients().get(i).address();
                replies.put(address, reply);
                if (reply.positive()) {
                    accepted.add(address);
                }
            }
            if (accepted.isEmpty()) {
                return new Result(replies);
            }
            dataReply = connection.command("DATA", timeouts.dataInitiation());
        }
        if (dataReply.code() != 354) {
            accepted.forEach(address -> replies.put(address, dataReply));
            return new Result(replies);
        }
        DotStuffingOutputStream data = new DotStuffingOutputStream(connection.dataOutput());
        try (InputStream in = body.open()) {
            in.transferTo(data);
        }
        data.finish();
        SmtpReply finalReply = connection.read(timeouts.dataTermination());
        accepted.forEach(address -> replies.put(address, finalReply));
        return new Result(replies);
    }

    private static Result everyone(Envelope envelope, SmtpReply reply) {
        Map<String, SmtpReply> replies = new LinkedHashMap<>();
        envelope.recipients().forEach(recipient -> replies.put(recipient.address(), reply));
        return new Result(replies);
    }

    /** The bytes to send: as stored, or converted to 7 bits for a peer without 8BITMIME. */
    private static final class Body {
        private final MessageContent stored;
        private final byte[] converted;
        final boolean eightBit;
        final long size;
        final SmtpReply refusal;

        private Body(MessageContent stored, byte[] converted, boolean eightBit, long size, SmtpReply refusal) {
            this.stored = stored;
            this.converted = converted;
            this.eightBit = eightBit;
            this.size = size;
            this.refusal = refusal;
        }

        InputStream open() throws IOException {
            return converted != null ? new ByteArrayInputStream(converted) : ReturnPathStripper.strip(stored.open());
        }
    }

    private static Body body(MessageContent content, Capabilities peer) throws IOException {
        boolean eightBit;
        try (InputStream in = content.open()) {
            eightBit = hasEightBit(in);
        }
        if (!eightBit || peer.eightBitMime()) {
            return new Body(content, null, eightBit, content.size(), null);
        }
        byte[] bytes;
        try (InputStream in = ReturnPathStripper.strip(content.open())) {
            bytes = in.readAllBytes();
        }
        Optional<byte[]> seven = SevenBitConverter.convert(bytes);
        if (seven.isEmpty()) {
            return new Body(content, null, true, content.size(), SmtpReply.local(554, "5.6.3 the message has 8-bit"
                + " headers or 8-bit base64 content, and the receiving server offers no 8BITMIME to take it as it is"));
        }
        return new Body(content, seven.get(), false, seven.get().length, null);
    }

    private static boolean hasEightBit(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) > 0) {
            if (SevenBitConverter.hasEightBit(buffer, 0, read)) {
                return true;
            }
        }
        return false;
    }
}
