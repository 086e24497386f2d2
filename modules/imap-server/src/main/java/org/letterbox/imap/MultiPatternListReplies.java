package org.letterbox.imap;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.response.ListResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers a {@link MultiPatternListRequest} by running James's LIST once per pattern: a mailbox matched by several
 * patterns is listed once, and the command gets one tagged answer: the first that was not OK, else the last OK.
 */
final class MultiPatternListReplies {

    private MultiPatternListReplies() {
    }

    static Mono<Void> process(ImapProcessor james, MultiPatternListRequest request, Responder responder, ImapSession session) {
        Set<String> listed = new HashSet<>();
        AtomicReference<StatusResponse> failure = new AtomicReference<>();
        int last = request.patterns().size() - 1;
        return Flux.range(0, request.patterns().size())
            .concatMap(i -> james.processReactive(request.forPattern(request.patterns().get(i)),
                new OnePattern(responder, listed, failure, i == last), session))
            .then();
    }

    private record OnePattern(Responder responder, Set<String> listed, AtomicReference<StatusResponse> failure,
                              boolean last) implements Responder {
        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof ListResponse list && !listed.add(list.getName())) {
                return;
            }
            if (message instanceof StatusResponse status && status.getTag() != null) {
                if (status.getServerResponseType() != StatusResponse.Type.OK) {
                    failure.compareAndSet(null, status);
                }
                if (last) {
                    responder.respond(failure.get() != null ? failure.get() : status);
                }
                return;
            }
            responder.respond(message);
        }

        @Override
        public void flush() {
            responder.flush();
        }
    }
}
