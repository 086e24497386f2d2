package org.letterbox.store.search;

import java.util.Collection;
import java.util.List;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.ConjunctionCriterion;
import org.apache.james.mailbox.model.SearchQuery.Criterion;
import org.apache.james.mailbox.model.SearchQuery.UidCriterion;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.store.search.SimpleMessageSearchIndex;
import org.apache.james.mailbox.AttachmentContentLoader;

import reactor.core.publisher.Flux;

/**
 * James's scanning search index, with its UID short cut made safe.
 *
 * <p>Before matching, James reads only the messages of the first UID range it finds in the query, descending into
 * any conjunction: right for {@code UID 1:5 SEEN}, wrong under OR and NOT, where the range does not bound the
 * result. {@code SEARCH NOT 2,4} found nothing (only 2 and 4 were read, then excluded) and {@code SEARCH OR 1 UID 3}
 * only 1. Such a query gets a first criterion that stops the short cut, so every message is read and matched.
 * Sent-date criteria are first resolved by {@link SentDateCriteria}.
 */
public final class UidSafeSearchIndex extends SimpleMessageSearchIndex {

    private final MailboxSessionMapperFactory mappers;

    public UidSafeSearchIndex(MailboxSessionMapperFactory mappers, TextExtractor textExtractor,
                              AttachmentContentLoader attachmentContentLoader) {
        super(mappers, mappers, textExtractor, attachmentContentLoader);
        this.mappers = mappers;
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) {
        try {
            return super.search(session, mailbox, safe(SentDateCriteria.resolve(query, mappers, session, mailbox)));
        } catch (MailboxException e) {
            return Flux.error(e);
        }
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query, long limit)
            throws MailboxException {
        return super.search(session, mailboxIds, safe(query), limit);
    }

    static SearchQuery safe(SearchQuery query) {
        if (!shortCutsThroughOrOrNot(query.getCriteria(), false)) {
            return query;
        }
        SearchQuery.Builder rebuilt = SearchQuery.builder()
            .andCriteria(SearchQuery.and(List.of(SearchQuery.all())))
            .andCriteria(query.getCriteria())
            .addRecentMessageUids(query.getRecentMessageUids());
        if (!query.getSorts().isEmpty()) {
            rebuilt.sorts(query.getSorts());
        }
        return rebuilt.build();
    }

    /** Follows the path James's short cut takes and says whether the range it picks sits under OR or NOT. */
    private static boolean shortCutsThroughOrOrNot(List<Criterion> criteria, boolean underOrOrNot) {
        for (Criterion criterion : criteria) {
            if (criterion instanceof UidCriterion) {
                return underOrOrNot;
            }
            if (criterion instanceof ConjunctionCriterion conjunction) {
                return shortCutsThroughOrOrNot(conjunction.getCriteria(),
                    underOrOrNot || conjunction.getType() != SearchQuery.Conjunction.AND);
            }
        }
        return false;
    }
}
