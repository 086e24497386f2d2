package org.letterbox.imap;

import java.util.HashSet;
import java.util.Set;

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
 * patterns is listed once, and only the last pattern's tagged reply is sent, so the command gets one answer.
 */
final class MultiPatternListReplies {

    private MultiPatternListReplies() {
    }

    static Mono<Void> process(ImapProcessor james, MultiPatternListRequest request, Responder responder, ImapSession session) {
        Set<String> listed = new HashSet<>();
        int last = request.patterns().size() - 1;
        return Flux.range(0, request.patterns().size())
            .concatMap(i -> james.processReactive(request.forPattern(request.patterns().get(i)),
                new OnePattern(responder, listed, i == last), session))
            .then();
    }

    private record OnePattern(Responder responder, Set<String> listed, boolean last) implements Responder {
        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof ListResponse list && !listed.add(list.getName())) {
                return;
            }
            if (!last && message instanceof StatusResponse status && status.getTag() != null) {
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
