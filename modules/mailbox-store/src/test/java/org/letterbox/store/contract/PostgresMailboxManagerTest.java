package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MailboxManagerTest, with all its nested groups, against the PostgreSQL store. */
class PostgresMailboxManagerTest extends DerbyMailboxManagerTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
