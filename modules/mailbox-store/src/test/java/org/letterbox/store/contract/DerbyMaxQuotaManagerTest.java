package org.letterbox.store.contract;

import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.store.quota.GenericMaxQuotaManagerTest;
import org.letterbox.store.quota.JdbcMaxQuotaManager;
import org.letterbox.store.TestBackend;

/** James's GenericMaxQuotaManagerTest against the persisted quota limits. */
class DerbyMaxQuotaManagerTest extends GenericMaxQuotaManagerTest {
    @Override
    protected MaxQuotaManager provideMaxQuotaManager() {
        return new JdbcMaxQuotaManager(backend().emptyDatabase());
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
