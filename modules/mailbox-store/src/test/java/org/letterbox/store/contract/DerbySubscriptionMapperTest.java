package org.letterbox.store.contract;

import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.SubscriptionMapperTest;
import org.letterbox.store.mailbox.JdbcSubscriptionMapper;
import org.letterbox.store.TestBackend;

/** James's SubscriptionMapperTest against the Derby store. */
class DerbySubscriptionMapperTest extends SubscriptionMapperTest {
    @Override
    protected SubscriptionMapper createSubscriptionMapper() {
        return new JdbcSubscriptionMapper(backend().emptyDatabase());
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
