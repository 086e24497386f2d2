package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's MessageMoveTest against the PostgreSQL store. */
class PostgresMessageMoveTest extends DerbyMessageMoveTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
