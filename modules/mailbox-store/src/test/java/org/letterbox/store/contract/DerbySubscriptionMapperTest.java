package org.letterbox.store.contract;

import org.apache.james.mailbox.store.user.SubscriptionMapper;
import org.apache.james.mailbox.store.user.SubscriptionMapperTest;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.mailbox.JdbcSubscriptionMapper;

/** James's SubscriptionMapperTest against the Derby store. */
class DerbySubscriptionMapperTest extends SubscriptionMapperTest {
    @Override
    protected SubscriptionMapper createSubscriptionMapper() {
        return new JdbcSubscriptionMapper(StoreFixture.emptyDatabase());
    }
}
