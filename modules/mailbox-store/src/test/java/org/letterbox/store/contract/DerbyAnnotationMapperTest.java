package org.letterbox.store.contract;

import java.time.Clock;

import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.AnnotationMapper;
import org.apache.james.mailbox.store.mail.model.AnnotationMapperTest;
import org.letterbox.store.mailbox.JdbcMapperFactory;
import org.letterbox.store.TestBackend;

/** James's AnnotationMapperTest against the Derby store (annotations belong to real mailbox rows). */
class DerbyAnnotationMapperTest extends AnnotationMapperTest {
    private JdbcMapperFactory factory;

    @Override
    protected AnnotationMapper createAnnotationMapper() {
        factory = new JdbcMapperFactory(backend().emptyDatabase(), Clock.systemUTC());
        return factory.createAnnotationMapper(null);
    }

    @Override
    protected MailboxId generateMailboxId() {
        return factory.mailboxMapper().create(MailboxPath.forUser(org.apache.james.core.Username.of("annotations"),
            "box" + System.nanoTime()), UidValidity.generate()).block().getMailboxId();
    }

    /** The backend this suite runs on. */
    protected TestBackend backend() {
        return TestBackend.DERBY;
    }
}
