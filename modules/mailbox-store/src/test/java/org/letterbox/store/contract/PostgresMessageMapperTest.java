package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MessageMapperTest against the PostgreSQL store. */
class PostgresMessageMapperTest extends DerbyMessageMapperTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
