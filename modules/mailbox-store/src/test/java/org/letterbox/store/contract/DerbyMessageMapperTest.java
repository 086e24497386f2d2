package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageMapperTest;
import org.apache.james.utils.UpdatableTickingClock;
import org.letterbox.store.TestBackend;

/** James's MessageMapperTest against the Derby store. */
class DerbyMessageMapperTest extends MessageMapperTest {
    private final UpdatableTickingClock clock = new UpdatableTickingClock(Instant.now());

    @Override
    protected MapperProvider createMapperProvider() {
        return new JdbcMapperProvider(backend(), clock);
    }

    @Override
    protected UpdatableTickingClock updatableTickingClock() {
        return clock;
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
