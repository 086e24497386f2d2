package org.letterbox.store.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.StoreFixture;

@Tag("slow")
class CredentialVerifierTest {

    @TempDir
    Path dir;
    private MailStore store;

    private MailStore open(StoreConfig config) {
        store = MailStore.open(config);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private CredentialVerifier withAlice(StoreConfig config) {
        MailStore opened = open(config);
        opened.accounts().addDomain("example.test");
        opened.accounts().addUser("alice@example.test", "right");
        return opened.credentials();
    }

    @Test
    void theRightPasswordIsVerifiedUnderTheCanonicalNameAndAWrongOneIsRejected() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir));
        assertThat(verifier.verify("Alice@Example.test", "right").join()).isEqualTo(new CredentialVerifier.Verified("alice@example.test"));
        assertThat(verifier.verify("alice@example.test", "wrong").join()).isEqualTo(new CredentialVerifier.Rejected());
    }

    @Test
    void aSecondLoginWithTheSamePasswordCostsNoSlowHashAndAFailureIsNeverRemembered() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir));
        assertThat(verifier.verify("alice@example.test", "wrong").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        assertThat(verifier.rememberedCount()).isZero();
        verifier.verify("alice@example.test", "right").join();
        long before = verifier.derivations();
        assertThat(verifier.verify("alice@example.test", "right").join()).isInstanceOf(CredentialVerifier.Verified.class);
        assertThat(verifier.derivations()).isEqualTo(before);
        // a wrong password against a remembered user still costs a full check, and is still wrong
        assertThat(verifier.verify("alice@example.test", "wrong").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        assertThat(verifier.derivations()).isEqualTo(before + 1);
    }

    @Test
    void aPasswordChangeOrRemovalForgetsTheUserAtOnce() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir));
        verifier.verify("alice@example.test", "right").join();
        assertThat(verifier.rememberedCount()).isEqualTo(1);
        store.accounts().changePassword("alice@example.test", "new");
        assertThat(verifier.rememberedCount()).isZero();
        assertThat(verifier.verify("alice@example.test", "right").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        assertThat(verifier.verify("alice@example.test", "new").join()).isInstanceOf(CredentialVerifier.Verified.class);
        store.accounts().removeUser("alice@example.test");
        assertThat(verifier.rememberedCount()).isZero();
        assertThat(verifier.verify("alice@example.test", "new").join()).isInstanceOf(CredentialVerifier.Rejected.class);
    }

    @Test
    void aZeroLifetimeDisablesTheCache() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir)
            .withCredentials(new CredentialVerifier.Settings(2, 64, Duration.ZERO, 100)));
        verifier.verify("alice@example.test", "right").join();
        long before = verifier.derivations();
        verifier.verify("alice@example.test", "right").join();
        assertThat(verifier.derivations()).isEqualTo(before + 1);
        assertThat(verifier.rememberedCount()).isZero();
    }

    @Test
    void anUnknownUserCostsOneSlowHashLikeAWrongPassword() {
        CredentialVerifier verifier = open(StoreFixture.config(dir)).credentials();
        assertThat(verifier.derivations()).as("opening the store derives nothing").isZero();
        store.accounts().addDomain("example.test");
        store.accounts().addUser("alice@example.test", "right");
        long before = verifier.derivations();
        assertThat(verifier.verify("nobody@example.test", "right").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        assertThat(verifier.derivations()).isEqualTo(before + 1);
        assertThat(verifier.verify("alice@example.test", "wrong").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        assertThat(verifier.derivations()).isEqualTo(before + 2);
    }

    @Test
    void namesWithControlCharactersOrOver255BytesAreRefusedBeforeAnyHashing() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir));
        long before = verifier.derivations();
        for (String name : List.of("alice@example.test\r\nip=1.2.3.4", "x ip=198.51.100.7", "a\0b", "a".repeat(250) + "@example.test")) {
            assertThat(verifier.verify(name, "right").join()).isInstanceOf(CredentialVerifier.Rejected.class);
        }
        assertThat(verifier.derivations()).isEqualTo(before);
    }

    @Test
    void anOlderWeakerHashIsUpgradedAtTheNextSuccessfulLogin() throws Exception {
        try (MailStore old = MailStore.open(StoreFixture.config(dir))) {
            old.accounts().addDomain("example.test");
            old.accounts().addUser("alice@example.test", "right");
        }
        CredentialVerifier verifier = open(StoreFixture.config(dir).withPasswordIterations(2000)).credentials();
        assertThat(store.accounts().storedHash("alice@example.test").orElseThrow()).startsWith("pbkdf2-sha256$1000$");
        assertThat(verifier.verify("alice@example.test", "right").join()).isInstanceOf(CredentialVerifier.Verified.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!store.accounts().storedHash("alice@example.test").orElseThrow().startsWith("pbkdf2-sha256$2000$")
            && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.accounts().storedHash("alice@example.test").orElseThrow()).startsWith("pbkdf2-sha256$2000$");
        assertThat(verifier.verify("alice@example.test", "right").join()).isInstanceOf(CredentialVerifier.Verified.class);
    }

    @Test
    void whenTheHashingQueueIsFullLoginsGetATemporaryFailureAndTheRestAreAnsweredRightly() {
        CredentialVerifier verifier = withAlice(StoreFixture.config(dir).withPasswordIterations(200_000)
            .withCredentials(new CredentialVerifier.Settings(1, 1, Duration.ZERO, 100)));
        List<CompletableFuture<CredentialVerifier.Outcome>> logins = IntStream.range(0, 12)
            .mapToObj(i -> verifier.verify("alice@example.test", "right")).toList();
        List<CredentialVerifier.Outcome> outcomes = logins.stream().map(CompletableFuture::join).toList();
        assertThat(outcomes).contains(new CredentialVerifier.Busy());
        assertThat(outcomes).contains(new CredentialVerifier.Verified("alice@example.test"));
        assertThat(outcomes).doesNotContain(new CredentialVerifier.Rejected());
    }
}
