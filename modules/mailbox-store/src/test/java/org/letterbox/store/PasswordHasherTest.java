package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.letterbox.store.account.PasswordHasher;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashRoundTripsAndUses600000Iterations() {
        String hash = hasher.hash("correct horse");
        assertThat(hash).startsWith("pbkdf2-sha256$600000$");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
    }

    @Test
    void wrongPasswordIsRejected() {
        String hash = hasher.hash("correct horse");
        assertThat(hasher.verify("correct horsE", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void sameSecretGivesDifferentHashesBecauseOfTheSalt() {
        assertThat(hasher.hash("s3cret")).isNotEqualTo(hasher.hash("s3cret"));
    }

    @Test
    void malformedStoredHashNeverVerifies() {
        assertThat(hasher.verify("x", "plain-text")).isFalse();
        assertThat(hasher.verify("x", "pbkdf2-sha256$notanumber$AA$AA")).isFalse();
    }

    @Test
    void iterationCountIsReadFromTheStoredHash() {
        String cheap = new PasswordHasher(1000).hash("pw");
        assertThat(hasher.verify("pw", cheap)).isTrue();
    }

    @Test
    void aHashWithFewerIterationsThanTodaysNeedsRehashingAndTodaysDoesNot() {
        assertThat(new PasswordHasher(2000).needsRehash(new PasswordHasher(1000).hash("pw"))).isTrue();
        assertThat(new PasswordHasher(1000).needsRehash(new PasswordHasher(1000).hash("pw"))).isFalse();
        assertThat(hasher.needsRehash("something-else$1$AA$AA")).isTrue();
    }
}
