package org.letterbox.delivery.route;

import java.util.Optional;

import org.letterbox.delivery.client.SmtpReply;

/**
 * What became of one recipient in one attempt.
 *
 * @param status delivered, deferred (try again later) or failed (never again: a bounce)
 * @param reply the server's reply, or one we wrote for what happened instead
 * @param hop the server that answered, when one did
 */
public record RecipientResult(Status status, SmtpReply reply, Optional<Hop> hop) {

    public enum Status {
        DELIVERED, DEFERRED, FAILED
    }

    static RecipientResult of(SmtpReply reply, Optional<Hop> hop) {
        Status status = reply.positive() ? Status.DELIVERED : reply.permanentFailure() ? Status.FAILED : Status.DEFERRED;
        return new RecipientResult(status, reply, hop);
    }

    static RecipientResult deferred(String enhanced, String text) {
        return new RecipientResult(Status.DEFERRED, SmtpReply.local(451, enhanced + " " + text), Optional.empty());
    }

    static RecipientResult failed(int code, String enhanced, String text) {
        return new RecipientResult(Status.FAILED, SmtpReply.local(code, enhanced + " " + text), Optional.empty());
    }
}
