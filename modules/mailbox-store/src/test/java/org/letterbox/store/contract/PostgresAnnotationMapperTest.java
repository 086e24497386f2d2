package org.letterbox.store.contract;

import org.letterbox.store.TestBackend;

/** James's AnnotationMapperTest against the PostgreSQL store. */
class PostgresAnnotationMapperTest extends DerbyAnnotationMapperTest {
    @Override
    protected TestBackend backend() {
        return TestBackend.POSTGRES;
    }
}
