package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MessageIdMapperTest against the PostgreSQL store. */
class PostgresMessageIdMapperTest extends DerbyMessageIdMapperTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
