package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's SubscriptionMapperTest against the PostgreSQL store. */
class PostgresSubscriptionMapperTest extends DerbySubscriptionMapperTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
