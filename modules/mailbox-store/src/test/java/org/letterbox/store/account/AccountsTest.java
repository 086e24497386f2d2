package org.letterbox.store.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;

/** Domains, users and aliases: canonical forms, resolution (aliases, plus-addressing, catch-all) and ownership. */
class AccountsTest {

    private MailStore store;
    private Accounts accounts;

    @BeforeEach
    void setUp() {
        store = StoreFixture.freshStore();
        accounts = store.accounts();
        accounts.addDomain("Example.TEST");
        accounts.addUser("Alice@example.test", "pw");
        accounts.addUser("bob@example.test", "pw");
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void namesAreStoredInLowerCaseAndLookupsIgnoreCase() {
        assertThat(accounts.listDomains()).containsExactly("example.test");
        assertThat(accounts.listUsers()).contains("alice@example.test");
        assertThat(accounts.userExists("ALICE@example.test")).isTrue();
        assertThat(store.credentials().verifyNow("ALICE@Example.test", "pw")).contains("alice@example.test");
    }

    @Test
    void anIdnDomainIsOneDomainWhetherWrittenAsUnicodeOrALabel() {
        accounts.addDomain("xn--mnchen-3ya.test");
        assertThat(accounts.listDomains()).contains("münchen.test");
        accounts.addUser("özil@XN--MNCHEN-3YA.test", "pw");
        assertThat(accounts.userExists("özil@münchen.test")).isTrue();
        assertThat(accounts.resolve("özil@münchen.test")).containsExactly("özil@münchen.test");
    }

    @Test
    void aliasesPlusAddressingAndCatchAllResolveToUsers() {
        accounts.addAlias("team@example.test", "alice@example.test");
        accounts.addAlias("team@example.test", "bob@example.test");
        accounts.addAlias("outside@example.test", "someone@remote.test");
        assertThat(accounts.resolve("team@example.test")).containsExactlyInAnyOrder("alice@example.test", "bob@example.test");
        assertThat(accounts.resolve("alice+lists@example.test")).containsExactly("alice@example.test");
        assertThat(accounts.resolve("outside@example.test")).containsExactly("someone@remote.test");
        assertThat(accounts.resolve("nobody@example.test")).isEmpty();
        accounts.addAlias("@example.test", "bob@example.test");
        assertThat(accounts.resolve("nobody@example.test")).containsExactly("bob@example.test");
        assertThat(accounts.resolve("someone@remote.test")).containsExactly("someone@remote.test");
    }

    @Test
    void aUserOwnsTheirAddressAndTheAliasesThatReachThem() {
        accounts.addAlias("sales@example.test", "alice@example.test");
        assertThat(accounts.ownsAddress("alice@example.test", "alice@example.test")).isTrue();
        assertThat(accounts.ownsAddress("alice@example.test", "sales@example.test")).isTrue();
        assertThat(accounts.ownsAddress("bob@example.test", "sales@example.test")).isFalse();
        assertThat(accounts.ownsAddress("alice@example.test", "alice@remote.test")).isFalse();
    }

    @Test
    void malformedNamesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> accounts.addUser("no-at-sign", "pw")).hasMessageContaining("bad address");
        assertThatThrownBy(() -> accounts.addDomain("-bad-.test")).hasMessageContaining("bad domain");
        assertThatThrownBy(() -> accounts.addUser("x@unknown.test", "pw")).isInstanceOf(AccountException.class);
    }

    @Test
    void everyChangeIsSeenByTheNextLookupThoughLookupsAreAnsweredFromMemory() {
        assertThat(accounts.resolve("carol@example.test")).isEmpty();
        accounts.addUser("carol@example.test", "pw");
        assertThat(accounts.userExists("carol@example.test")).isTrue();
        assertThat(accounts.resolve("carol@example.test")).containsExactly("carol@example.test");
        accounts.addAlias("help@example.test", "carol@example.test");
        assertThat(accounts.resolve("help@example.test")).containsExactly("carol@example.test");
        accounts.removeAlias("help@example.test", "carol@example.test");
        assertThat(accounts.resolve("help@example.test")).isEmpty();
        accounts.removeUser("carol@example.test");
        assertThat(accounts.userExists("carol@example.test")).isFalse();
        assertThat(accounts.resolve("carol@example.test")).isEmpty();
        accounts.addDomain("second.test");
        assertThat(accounts.isLocalDomain("second.test")).isTrue();
        accounts.removeDomain("second.test");
        assertThat(accounts.isLocalDomain("second.test")).isFalse();
        assertThat(accounts.resolve("someone@second.test")).containsExactly("someone@second.test");
    }

    @Test
    void aFailedChangeLeavesLookupsAsTheyWere() {
        assertThatThrownBy(() -> accounts.addUser("alice@example.test", "pw")).isInstanceOf(AccountException.class);
        assertThatThrownBy(() -> accounts.removeUser("nobody@example.test")).isInstanceOf(AccountException.class);
        assertThat(accounts.userExists("alice@example.test")).isTrue();
        assertThat(accounts.userExists("nobody@example.test")).isFalse();
    }
}
