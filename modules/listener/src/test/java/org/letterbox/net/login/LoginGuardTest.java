package org.letterbox.net.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.letterbox.testing.HandClock;

class LoginGuardTest {


    private final HandClock clock = new HandClock(Instant.parse("2026-12-02T12:00:00Z"));
    private final LoginGuard guard = new LoginGuard(LoginGuard.Settings.DEFAULTS, clock);
    private static final Duration BASE = Duration.ofSeconds(2);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void eachFailureFromANetworkWaitsTwiceAsLongUpToTheCap() throws Exception {
        InetAddress attacker = ip("203.0.113.5");
        assertThat(guard.failed(attacker, "alice@example.test", BASE)).isEqualTo(new LoginGuard.Failure(1, Duration.ofSeconds(2)));
        assertThat(guard.failed(attacker, "alice@example.test", BASE).delay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(guard.failed(attacker, "bob@example.test", BASE).delay()).isEqualTo(Duration.ofSeconds(8));
        assertThat(guard.failed(attacker, "bob@example.test", BASE).delay()).isEqualTo(Duration.ofSeconds(16));
        assertThat(guard.failed(attacker, "bob@example.test", BASE).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(guard.failed(attacker, "bob@example.test", BASE).delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aNetworkIsRefusedAfterTenFailuresForFifteenMinutesThenAdmittedAgain() throws Exception {
        InetAddress attacker = ip("203.0.113.5");
        for (int i = 0; i < 9; i++) {
            guard.failed(attacker, "alice@example.test", BASE);
            assertThat(guard.admit(attacker, "alice@example.test")).isEqualTo(new LoginGuard.Admitted());
        }
        guard.failed(attacker, "alice@example.test", BASE);
        assertThat(guard.admit(attacker, "alice@example.test")).isEqualTo(new LoginGuard.Refused("blocked"));
        assertThat(guard.admit(ip("203.0.113.6"), "alice@example.test")).isEqualTo(new LoginGuard.Admitted());
        clock.advance(Duration.ofMinutes(14));
        assertThat(guard.admit(attacker, "alice@example.test")).isEqualTo(new LoginGuard.Refused("blocked"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(guard.admit(attacker, "alice@example.test")).isEqualTo(new LoginGuard.Admitted());
    }

    @Test
    void anIpv6SlashSixtyFourCountsAsOneNetwork() throws Exception {
        for (int i = 1; i <= 10; i++) {
            guard.failed(ip("2001:db8:1:2::" + Integer.toHexString(i)), "alice@example.test", BASE);
        }
        assertThat(guard.admit(ip("2001:db8:1:2:ffff::1"), "alice@example.test")).isEqualTo(new LoginGuard.Refused("blocked"));
        assertThat(guard.admit(ip("2001:db8:1:3::1"), "alice@example.test")).isEqualTo(new LoginGuard.Admitted());
    }

    @Test
    void aGuessSpreadOverManyAddressesProtectsTheAccountButNotFromTheOwnersOwnNetwork() throws Exception {
        InetAddress owner = ip("198.51.100.20");
        guard.succeeded(owner, "alice@example.test");
        for (int i = 0; i < 50; i++) {
            guard.failed(ip("192.0.2." + i), "alice@example.test", BASE);
        }
        assertThat(guard.admit(ip("192.0.2.200"), "alice@example.test")).isEqualTo(new LoginGuard.Refused("protected"));
        assertThat(guard.admit(ip("192.0.2.200"), "Alice@Example.Test")).isEqualTo(new LoginGuard.Refused("protected"));
        assertThat(guard.admit(owner, "alice@example.test")).isEqualTo(new LoginGuard.Admitted());
        assertThat(guard.admit(ip("192.0.2.200"), "bob@example.test")).isEqualTo(new LoginGuard.Admitted());
    }

    @Test
    void namesWithControlCharactersOrOverTwoHundredFiftyFiveBytesAreRefusedBeforeAnyCheck() throws Exception {
        InetAddress client = ip("203.0.113.5");
        assertThat(guard.admit(client, "alice\r\n@example.test")).isEqualTo(new LoginGuard.Refused("bad-name"));
        assertThat(guard.admit(client, "alice\0")).isEqualTo(new LoginGuard.Refused("bad-name"));
        assertThat(guard.admit(client, "a".repeat(256))).isEqualTo(new LoginGuard.Refused("bad-name"));
        assertThat(guard.admit(client, "é".repeat(128))).isEqualTo(new LoginGuard.Refused("bad-name"));
        assertThat(guard.admit(client, "a".repeat(255))).isEqualTo(new LoginGuard.Admitted());
        assertThat(guard.admit(client, "")).isEqualTo(new LoginGuard.Refused("bad-name"));
    }

    @Test
    void countsAreForgottenAnHourAfterTheLastFailureAndASuccessClearsTheNetwork() throws Exception {
        InetAddress client = ip("203.0.113.5");
        for (int i = 0; i < 5; i++) {
            guard.failed(client, "alice@example.test", BASE);
        }
        clock.advance(Duration.ofMinutes(61));
        assertThat(guard.failed(client, "alice@example.test", BASE).count()).isEqualTo(1);
        guard.failed(client, "alice@example.test", BASE);
        guard.succeeded(client, "alice@example.test");
        assertThat(guard.failed(client, "alice@example.test", BASE).count()).isEqualTo(1);
    }

    @Test
    void memoryStaysBoundedWhenAHundredThousandAddressesFail() throws Exception {
        LoginGuard small = new LoginGuard(new LoginGuard.Settings(10, Duration.ofMinutes(15), Duration.ofSeconds(30), 50,
            Duration.ofHours(1), 1_000), clock);
        for (int i = 0; i < 100_000; i++) {
            byte[] address = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            small.failed(InetAddress.getByAddress(address), "user" + i + "@example.test", BASE);
        }
        assertThat(small.trackedEntries()).isLessThanOrEqualTo(2_000);
    }
}
