package org.letterbox.smtp;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.CredentialVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH PLAIN and LOGIN against the users table. Refused without TLS (538 5.7.11) unless the connection is loopback
 * and that is allowed. Each failure is answered after a delay; after N failures the client IP is locked out for a
 * while (454 4.7.0). Failures are logged in one stable line for fail2ban.
 */
final class StoreAuthHook implements AuthHook {

    private static final Logger AUTH_LOG = LoggerFactory.getLogger("org.letterbox.auth");

    private final MailStore store;
    private final SmtpSettings settings;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    private record Failures(int count, Instant lockedUntil) {
    }

    StoreAuthHook(MailStore store, SmtpSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        String ip = session.getRemoteAddress().getAddress().getHostAddress();
        if (!LetterboxSmtpConfiguration.authAllowed(settings, ip, session.isTLSStarted())) {
            return RecipientPolicy.result(HookReturnCode.deny(), "538", "5.7.11 Encryption required: STARTTLS first");
        }
        Failures past = failures.get(ip);
        if (past != null && past.lockedUntil() != null && clock.instant().isBefore(past.lockedUntil())) {
            return RecipientPolicy.result(HookReturnCode.denySoft(), "454", "4.7.0 Too many failed logins; try again later");
        }
        CredentialVerifier.Outcome outcome = store.credentials().verify(username.asString(), password).join();
        if (outcome instanceof CredentialVerifier.Busy) {
            return RecipientPolicy.result(HookReturnCode.denySoft(), "454", "4.7.0 Temporary authentication failure, try again later");
        }
        Optional<String> user = outcome instanceof CredentialVerifier.Verified verified
            ? Optional.of(verified.user()) : Optional.empty();
        if (user.isPresent()) {
            failures.remove(ip);
            session.setUsername(Username.of(user.get()));
            session.setRelayingAllowed(true);
            return RecipientPolicy.result(HookReturnCode.ok(), "235", "2.7.0 Authentication successful");
        }
        Failures now = failures.merge(ip, new Failures(1, null), (old, one) -> {
            int count = old.count() + 1;
            return new Failures(count, count >= settings.authFailuresBeforeLockout() ? clock.instant().plus(settings.authLockout()) : null);
        });
        AUTH_LOG.warn("auth failed: service=smtp user={} ip={} failures={}", username.asString(), ip, now.count());
        try {
            Thread.sleep(settings.authFailureDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return RecipientPolicy.result(HookReturnCode.deny(), "535", "5.7.8 Authentication credentials invalid");
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }
}
