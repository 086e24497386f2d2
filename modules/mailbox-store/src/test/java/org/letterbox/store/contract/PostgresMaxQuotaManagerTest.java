package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's GenericMaxQuotaManagerTest against the PostgreSQL store. */
class PostgresMaxQuotaManagerTest extends DerbyMaxQuotaManagerTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
