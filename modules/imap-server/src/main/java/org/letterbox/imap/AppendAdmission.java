package org.letterbox.imap;

import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AppendRequest;
import org.letterbox.store.jdbc.DiskSpace;

import reactor.core.publisher.Mono;

/**
 * APPEND, before anything is stored: a message over {@code imap.maxLiteralSize} gets {@code NO [TOOBIG]} (RFC 7889;
 * its literal, already spooled, is dropped), and one that would leave the disk below its reserve gets
 * {@code NO [UNAVAILABLE]}.
 */
final class AppendAdmission implements ImapStep {

    private final long maxAppendSize;
    private final DiskSpace diskSpace;

    AppendAdmission(long maxAppendSize, DiskSpace diskSpace) {
        this.maxAppendSize = maxAppendSize;
        this.diskSpace = diskSpace;
    }

    @Override
    public Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof AppendRequest append)) {
            return null;
        }
        long size;
        try {
            size = append.getMessage().size();
        } catch (java.io.IOException e) {
            return null; // James reports the unreadable literal itself
        }
        if (size > maxAppendSize) {
            responder.respond(StoreBoundImapProcessor.refusal(append, "org.letterbox.imap.toobig", "Message too big for this server", "TOOBIG"));
            return Mono.empty();
        }
        try {
            diskSpace.requireRoomFor(size);
        } catch (DiskSpace.Insufficient e) {
            responder.respond(StoreBoundImapProcessor.refusal(append, "org.letterbox.imap.nospace",
                "Insufficient storage on the server, try again later", "UNAVAILABLE"));
            return Mono.empty();
        }
        return null;
    }
}
