package org.letterbox.store.contract;

import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.quota.GenericMaxQuotaManagerTest;
import org.letterbox.store.StoreFixture;
import org.letterbox.store.quota.JdbcMaxQuotaManager;

/** James's GenericMaxQuotaManagerTest against the persisted quota limits. */
class DerbyMaxQuotaManagerTest extends GenericMaxQuotaManagerTest {
    @Override
    protected MaxQuotaManager provideMaxQuotaManager() {
        return new JdbcMaxQuotaManager(StoreFixture.emptyDatabase());
    }
}
