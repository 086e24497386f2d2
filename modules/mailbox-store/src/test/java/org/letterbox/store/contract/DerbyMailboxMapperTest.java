package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMapperTest;
import org.apache.james.utils.UpdatableTickingClock;
import org.letterbox.store.TestBackend;

/** James's MailboxMapperTest against the Derby store. */
class DerbyMailboxMapperTest extends MailboxMapperTest {
    private JdbcMapperProvider provider;

    @Override
    protected MailboxMapper createMailboxMapper() {
        provider = new JdbcMapperProvider(backend(), new UpdatableTickingClock(Instant.now()));
        return provider.createMailboxMapper();
    }

    @Override
    protected MailboxId generateId() {
        return provider.generateId();
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
