package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMapperACLTest;
import org.apache.james.utils.UpdatableTickingClock;
import org.letterbox.store.TestBackend;

/** James's MailboxMapperACLTest against the Derby store. */
class DerbyMailboxMapperACLTest extends MailboxMapperACLTest {
    
    @Override
    protected MailboxMapper createMailboxMapper() {
        return new JdbcMapperProvider(backend(), new UpdatableTickingClock(Instant.now())).createMailboxMapper();
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
