package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MailboxMapperACLTest against the PostgreSQL store. */
class PostgresMailboxMapperACLTest extends DerbyMailboxMapperACLTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
