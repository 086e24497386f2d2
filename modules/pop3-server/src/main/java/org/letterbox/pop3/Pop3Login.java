package org.letterbox.pop3;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.protocols.pop3.POP3Session;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.CredentialVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What USER/PASS and AUTH PLAIN share: the plain-text policy, the password check on the store's executor, the
 * failed-login delay, one session per maildrop ([IN-USE]) and the login log lines.
 */
final class Pop3Login {

    private static final Logger AUTH_LOG = LoggerFactory.getLogger("org.letterbox.auth");

    /** The outcome of a login attempt. */
    sealed interface Outcome permits Success, Failure, InUse, NeedsTls, Busy {
    }

    record Success(InboxMaildrop maildrop) implements Outcome {
    }

    record Failure() implements Outcome {
    }

    record InUse() implements Outcome {
    }

    record NeedsTls() implements Outcome {
    }

    record Busy() implements Outcome {
    }

    private final MailStore store;
    private final Pop3Settings settings;
    private final Set<String> openMaildrops = ConcurrentHashMap.newKeySet();

    Pop3Login(MailStore store, Pop3Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    boolean plaintextAllowed(POP3Session session) {
        if (session.isTLSStarted() || settings.tlsMode() == Pop3Settings.TlsMode.IMPLICIT) {
            return true;
        }
        InetAddress address = session.getRemoteAddress().getAddress();
        return settings.plaintextLoginOnLoopback() && address.isLoopbackAddress();
    }

    Outcome login(POP3Session session, String user, String password) {
        String ip = session.getRemoteAddress().getAddress().getHostAddress();
        if (!plaintextAllowed(session)) {
            return new NeedsTls();
        }
        CredentialVerifier.Outcome checked = store.credentials().verify(user, password).join();
        if (checked instanceof CredentialVerifier.Busy) {
            return new Busy();
        }
        Optional<String> canonical = checked instanceof CredentialVerifier.Verified verified
            ? Optional.of(verified.user()) : Optional.empty();
        if (canonical.isEmpty()) {
            AUTH_LOG.warn("auth failed: service=pop3 user={} ip={}", user, ip);
            sleep(settings.failedLoginDelay());
            return new Failure();
        }
        String name = canonical.get();
        if (!openMaildrops.add(name)) {
            AUTH_LOG.info("login refused: service=pop3 user={} ip={} reason=in-use", name, ip);
            return new InUse();
        }
        try {
            InboxMaildrop maildrop = InboxMaildrop.open(store.mailboxManager(), name, store, () -> openMaildrops.remove(name));
            AUTH_LOG.info("login: service=pop3 user={} ip={}", name, ip);
            session.setUsername(org.apache.james.core.Username.of(name));
            return new Success(maildrop);
        } catch (java.io.IOException | RuntimeException e) {
            openMaildrops.remove(name);
            throw new IllegalStateException("cannot open the maildrop of " + name + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
