package org.letterbox.imap;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.james.imap.api.message.request.SearchResultOption;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.response.ESearchResponse;
import org.apache.james.imap.message.response.SearchResponse;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;

/**
 * The untagged replies to SEARCH, where James's differ from the RFCs:
 * <ul>
 * <li>{@code RETURN (SAVE)} alone saves the result and answers nothing but the tagged OK (RFC 5182 §2.1);</li>
 * <li>with a MODSEQ criterion and only MIN and/or MAX returned, the MODSEQ is that of the returned message(s), not
 * the highest of all matches (RFC 7162 §3.1.5).</li>
 * </ul>
 */
final class SearchReplies implements Responder {

    private static final EnumSet<SearchResultOption> MIN_MAX = EnumSet.of(SearchResultOption.MIN, SearchResultOption.MAX,
        SearchResultOption.SAVE);

    private final SearchRequest request;
    private final Responder responder;
    private final ImapSession session;
    private final MailboxManager mailboxManager;

    SearchReplies(SearchRequest request, Responder responder, ImapSession session, MailboxManager mailboxManager) {
        this.request = request;
        this.responder = responder;
        this.session = session;
        this.mailboxManager = mailboxManager;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        List<SearchResultOption> options = request.getSearchOperation().getResultOptions();
        if (message instanceof SearchResponse && options != null && !options.isEmpty()
            && options.stream().allMatch(option -> option == SearchResultOption.SAVE)) {
            return;
        }
        if (message instanceof ESearchResponse search && search.getHighestModSeq() != null && search.getCount() > 0
            && MIN_MAX.containsAll(search.getSearchResultOptions())) {
            responder.respond(new ESearchResponse(search.getMinUid(), search.getMaxUid(), search.getCount(), search.getAll(),
                modSeqOfReturned(search).orElse(search.getHighestModSeq()), search.getTag(), search.getUseUid(),
                search.getSearchResultOptions()));
            return;
        }
        responder.respond(message);
    }

    /** The highest mod-sequence of the MIN and MAX messages the reply names. */
    private Optional<ModSeq> modSeqOfReturned(ESearchResponse search) {
        SelectedMailbox selected = session.getSelected();
        MailboxSession mailboxSession = session.getMailboxSession();
        if (selected == null || mailboxSession == null) {
            return Optional.empty();
        }
        try {
            MessageManager mailbox = mailboxManager.getMailbox(selected.getMailboxId(), mailboxSession);
            ModSeq highest = null;
            for (SearchResultOption option : search.getSearchResultOptions()) {
                long id = option == SearchResultOption.MIN ? search.getMinUid()
                    : option == SearchResultOption.MAX ? search.getMaxUid() : -1;
                if (id <= 0) {
                    continue;
                }
                Optional<MessageUid> uid = search.getUseUid() ? Optional.of(MessageUid.of(id)) : selected.uid((int) id);
                if (uid.isEmpty()) {
                    continue;
                }
                Iterator<MessageResult> found = mailbox.getMessages(MessageRange.one(uid.get()), FetchGroup.MINIMAL, mailboxSession);
                if (found.hasNext()) {
                    ModSeq modSeq = found.next().getModSeq();
                    highest = highest == null || modSeq.asLong() > highest.asLong() ? modSeq : highest;
                }
            }
            return Optional.ofNullable(highest);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @Override
    public void flush() {
        responder.flush();
    }
}
