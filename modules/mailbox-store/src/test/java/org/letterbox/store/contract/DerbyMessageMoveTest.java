package org.letterbox.store.contract;

import java.time.Instant;

import org.apache.james.mailbox.store.mail.model.MapperProvider;
import org.apache.james.mailbox.store.mail.model.MessageMoveTest;
import org.apache.james.utils.UpdatableTickingClock;

/** James's MessageMoveTest against the Derby store. */
class DerbyMessageMoveTest extends MessageMoveTest {
    @Override
    protected MapperProvider createMapperProvider() {
        return new DerbyMapperProvider(new UpdatableTickingClock(Instant.now()));
    }
}
