package org.apache.james.mailbox.store.search;

import java.util.List;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Disabled;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.mailbox.StoreMessageId;

/**
 * James's AbstractMessageSearchIndexTest against the search index we ship (James's SimpleMessageSearchIndex over
 * our mappers). Lives in James's package so the package-private tests it must skip can be overridden.
 */
@Tag("slow")
class DerbyMessageSearchIndexTest extends AbstractMessageSearchIndexTest {

    @Override
    protected void awaitMessageCount(List<MailboxId> mailboxIds, SearchQuery query, long messageCount) {
        // The index reads the store directly: nothing to wait for.
    }

    @Override
    protected void initializeMailboxManager() {
        MailStore store = StoreFixture.freshStore(new org.apache.james.utils.UpdatableTickingClock(java.time.Instant.now()));
        storeMailboxManager = (StoreMailboxManager) store.mailboxManager();
        messageIdManager = store.messageIdManager();
        eventBus = store.eventBus();
        messageSearchIndex = store.searchIndex();
        messageIdFactory = new StoreMessageId.Factory();
    }

    @Override
    protected MessageId initNewBasedMessageId() {
        return messageIdFactory.generate();
    }

    @Override
    protected MessageId initOtherBasedMessageId() {
        return messageIdFactory.generate();
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void bodyContainsShouldReturnUidOfMessageContainingTheApproximativeText() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void flagIsSetShouldReturnUidOfMessageMarkedAsRecentWhenUsedWithFlagRecent() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void flagIsUnSetShouldReturnUidOfMessageNotMarkedAsRecentWhenUsedWithFlagRecent() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void headerDateAfterShouldWork() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void headerDateBeforeShouldWork() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void headerDateOnShouldWork() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void headerWithDotsShouldBeIndexed() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void mailsContainsShouldIncludeMailHavingAttachmentsMatchingTheRequest() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void orShouldReturnResultsMatchinganyRequests() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void sortOnCcShouldWork() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void sortOnFromShouldWork() {
    }

    @Disabled("James's SimpleMessageSearchIndex does not support this; upstream disables it too (JAMES-1799). See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    protected void uidShouldreturnEveryThing() {
    }

    @Disabled("Attachments are not stored apart from their message, so they are not searchable. See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void hasAttachmentShouldOnlyReturnMessageThatHasAttachmentWhichAreNotInline() {
    }

    @Disabled("Attachments are not stored apart from their message, so they are not searchable. See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void hasNoAttachmenShouldOnlyReturnMessageThatHasNoAttachmentWhichAreNotInline() {
    }

    @Disabled("Attachments are not stored apart from their message, so they are not searchable. See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void searchShouldRetrieveMailByAttachmentFileName() {
    }

    @Disabled("Attachments are not stored apart from their message, so they are not searchable. See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void searchWithPDFAttachmentShouldReturnMailsWhenAttachmentContentMatches() {
    }

    @Disabled("Attachments are not stored apart from their message, so they are not searchable. See docs/conformance.md")
    @org.junit.jupiter.api.Test
    @Override
    void searchWithTextAttachmentShouldReturnMailsWhenAttachmentContentMatches() {
    }
}
