package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageMoveTest;
import org.apache.james.utils.UpdatableTickingClock;
import org.letterbox.store.TestBackend;

/** James's MessageMoveTest against the Derby store. */
class DerbyMessageMoveTest extends MessageMoveTest {
    @Override
    protected MapperProvider createMapperProvider() {
        return new JdbcMapperProvider(backend(), new UpdatableTickingClock(Instant.now()));
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
