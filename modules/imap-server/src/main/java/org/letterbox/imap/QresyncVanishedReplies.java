package org.letterbox.imap;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.api.message.UidRange;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.AbstractMailboxSelectionRequest;
import org.apache.james.imap.message.response.VanishedResponse;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.UidValidity;

/**
 * The {@code VANISHED (EARLIER)} reply to {@code SELECT/EXAMINE ... (QRESYNC ...)} (RFC 7162 §3.2.5.1).
 *
 * <p>James 3.8.1 clamps the client's known UIDs to the first and last UID still in the mailbox, so messages expunged
 * at either end were never reported. This responder drops James's answer and, just before the tagged OK, reports
 * every UID of the client's set (or of 1:UIDNEXT-1 without one) that is no longer there. Mod-sequences of expunges
 * are not kept, which RFC 7162 §5 allows: the report may include UIDs the client already knew were gone.
 */
final class QresyncVanishedReplies implements Responder {

    private final AbstractMailboxSelectionRequest request;
    private final Responder responder;
    private final ImapSession session;
    private long uidNext = -1;
    private long uidValidity = -1;

    QresyncVanishedReplies(AbstractMailboxSelectionRequest request, Responder responder, ImapSession session) {
        this.request = request;
        this.responder = responder;
        this.session = session;
    }

    static boolean applies(AbstractMailboxSelectionRequest request) {
        return request.getLastKnownUidValidity() != null && !request.getLastKnownUidValidity().isUnknown();
    }

    @Override
    public void respond(ImapResponseMessage message) {
        if (message instanceof VanishedResponse vanished && vanished.isEarlier()) {
            return;
        }
        if (message instanceof StatusResponse status) {
            StatusResponse.ResponseCode code = status.getResponseCode();
            if (code != null && "UIDNEXT".equals(code.getCode())) {
                uidNext = code.getNumber();
            } else if (code != null && "UIDVALIDITY".equals(code.getCode())) {
                uidValidity = code.getNumber();
            }
            if (status.getTag() != null && status.getServerResponseType() == StatusResponse.Type.OK && uidValidity > 0
                && request.getLastKnownUidValidity().correspondsTo(UidValidity.of(uidValidity))) {
                UidRange[] gone = vanished();
                if (gone.length > 0) {
                    responder.respond(new VanishedResponse(gone, true));
                }
            }
        }
        responder.respond(message);
    }

    @Override
    public void flush() {
        responder.flush();
    }

    private UidRange[] vanished() {
        SelectedMailbox selected = session.getSelected();
        if (selected == null || uidNext <= 1) {
            return new UidRange[0];
        }
        UidRange[] known = request.getUidSet() != null
            ? request.getUidSet()
            : new UidRange[] {new UidRange(MessageUid.MIN_VALUE, MessageUid.of(uidNext - 1))};
        List<UidRange> result = new ArrayList<>();
        long runStart = -1;
        long previous = -1;
        for (UidRange range : UidRange.mergeRanges(List.of(known))) {
            long high = Math.min(range.getHighVal().asLong(), uidNext - 1);
            for (long uid = range.getLowVal().asLong(); uid <= high; uid++) {
                boolean gone = selected.msn(MessageUid.of(uid)).foldSilent(() -> true, msn -> false);
                if (!gone) {
                    continue;
                }
                if (runStart > 0 && uid == previous + 1) {
                    previous = uid;
                    continue;
                }
                if (runStart > 0) {
                    result.add(new UidRange(MessageUid.of(runStart), MessageUid.of(previous)));
                }
                runStart = uid;
                previous = uid;
            }
        }
        if (runStart > 0) {
            result.add(new UidRange(MessageUid.of(runStart), MessageUid.of(previous)));
        }
        return result.toArray(UidRange[]::new);
    }
}
