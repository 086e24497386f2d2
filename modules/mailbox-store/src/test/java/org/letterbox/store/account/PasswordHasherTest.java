package org.letterbox.store.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void aHashVerifiesItsPasswordOnlyAndCarriesItsIterationCount() {
        String stored = hasher.hash("right");
        assertThat(stored).startsWith("pbkdf2-sha256$1000$");
        assertThat(hasher.verify("right", stored)).isTrue();
        assertThat(hasher.verify("wrong", stored)).isFalse();
        assertThat(hasher.needsRehash(stored)).isFalse();
        assertThat(new PasswordHasher(2_000).needsRehash(stored)).isTrue();
    }

    @Test
    void aDecoyIsMadeWithoutADerivationButCostsOneToCheckLikeARealHash() {
        String decoy = hasher.decoy();
        assertThat(hasher.derivations()).isZero();
        assertThat(decoy).matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.needsRehash(decoy)).isFalse();
        assertThat(hasher.verify("letterbox-dummy", decoy)).isFalse();
        assertThat(hasher.derivations()).isEqualTo(1);
        assertThat(hasher.decoy()).isNotEqualTo(decoy);
    }
}
