package org.letterbox.store.contract;

import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.apache.james.mailbox.store.quota.CurrentQuotaManagerContract;
import org.junit.jupiter.api.BeforeEach;
import org.letterbox.store.MailStore;
import org.letterbox.store.TestBackend;

/** James's CurrentQuotaManagerContract against the store's current-usage manager. */
class DerbyCurrentQuotaManagerTest implements CurrentQuotaManagerContract {
    private CurrentQuotaManager testee;

    @BeforeEach
    void setUp() {
        MailStore store = backend().freshStore();
        testee = store.currentQuotaManager();
    }

    @Override
    public CurrentQuotaManager testee() {
        return testee;
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
