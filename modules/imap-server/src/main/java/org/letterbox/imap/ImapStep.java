package org.letterbox.imap;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;

import reactor.core.publisher.Mono;

/**
 * One step of what we do around James's processor, in the style of James's own chain: a step answers a message
 * itself, or passes it on. {@link StoreBoundImapProcessor} runs the steps in order; a new rule is a new step.
 */
interface ImapStep {

    /** The step's answer to {@code message}, or null when it passes the message to the next step. */
    Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session);
}
