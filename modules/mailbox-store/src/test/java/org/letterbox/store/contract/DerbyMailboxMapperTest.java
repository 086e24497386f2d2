package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMapperTest;
import org.apache.james.utils.UpdatableTickingClock;

/** James's MailboxMapperTest against the Derby store. */
class DerbyMailboxMapperTest extends MailboxMapperTest {
    private final DerbyMapperProvider provider = new DerbyMapperProvider(new UpdatableTickingClock(Instant.now()));

    @Override
    protected MailboxMapper createMailboxMapper() {
        return provider.createMailboxMapper();
    }

    @Override
    protected MailboxId generateId() {
        return provider.generateId();
    }
}
