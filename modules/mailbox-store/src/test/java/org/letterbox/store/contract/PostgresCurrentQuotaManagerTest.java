package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's CurrentQuotaManagerContract against the PostgreSQL store. */
class PostgresCurrentQuotaManagerTest extends DerbyCurrentQuotaManagerTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
