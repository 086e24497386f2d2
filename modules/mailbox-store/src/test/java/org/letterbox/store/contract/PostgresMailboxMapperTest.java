package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MailboxMapperTest against the PostgreSQL store. */
class PostgresMailboxMapperTest extends DerbyMailboxMapperTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
