package org.letterbox.pop3;

import java.util.Optional;
import org.letterbox.store.session.SessionLeases;


import java.net.InetAddress;
import java.util.Set;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.pop3.POP3Session;
import org.letterbox.net.login.AuthLog;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.net.login.ReplyHold;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.CredentialVerifier;

/**
 * What USER/PASS and AUTH PLAIN share: the plain-text policy, the password check on the store's executor, the
 * failed-login delay, one session per maildrop ([IN-USE]) and the login log lines.
 */
final class Pop3Login {

    private static final ProtocolSession.AttachmentKey<Integer> FAILURES =
        ProtocolSession.AttachmentKey.of("letterbox.loginFailures", Integer.class);

    /** The outcome of a login attempt. */
    sealed interface Outcome permits Success, Failure, Guarded, InUse, NeedsTls, Busy {
    }

    record Success(InboxMaildrop maildrop) implements Outcome {
    }

    /** A wrong name or password; {@code last} when the connection has had its share and is closed. */
    record Failure(boolean last) implements Outcome {
    }

    /** Not checked: the guard refuses this network or protects this account for now. */
    record Guarded() implements Outcome {
    }

    record InUse() implements Outcome {
    }

    record NeedsTls() implements Outcome {
    }

    record Busy() implements Outcome {
    }

    private final MailStore store;
    private final Pop3Settings settings;

    private final ReplyHold replies;

    Pop3Login(MailStore store, Pop3Settings settings, ReplyHold replies) {
        this.store = store;
        this.settings = settings;
        this.replies = replies;
    }

    boolean plaintextAllowed(POP3Session session) {
        return org.letterbox.net.PlaintextLogin.allowed(settings.tlsMode(), session.isTLSStarted(),
            settings.plaintextLoginOnLoopback(), session.getRemoteAddress());
    }

    Outcome login(POP3Session session, String user, String password) {
        InetAddress ip = session.getRemoteAddress().getAddress();
        if (!plaintextAllowed(session)) {
            return new NeedsTls();
        }
        LoginGuard guard = settings.loginGuard();
        LoginGuard.Admission admission = guard.admit(ip, user);
        if (admission instanceof LoginGuard.Refused refused && !refused.isBadName()) {
            AuthLog.refused("pop3", ip, user, refused.reason());
            return new Guarded();
        }
        Optional<String> canonical = Optional.empty();
        if (admission instanceof LoginGuard.Admitted) {
            CredentialVerifier.Outcome checked = store.credentials().verify(user, password).join();
            if (checked instanceof CredentialVerifier.Busy) {
                return new Busy();
            }
            if (checked instanceof CredentialVerifier.Verified verified) {
                canonical = Optional.of(verified.user());
            }
        }
        if (canonical.isEmpty()) {
            LoginGuard.Failure failure = guard.failed(ip, user, settings.failedLoginDelay());
            AuthLog.failed("pop3", ip, user, failure.count());
            int onThisConnection = session.getAttachment(FAILURES, ProtocolSession.State.Connection).orElse(0) + 1;
            session.setAttachment(FAILURES, onThisConnection, ProtocolSession.State.Connection);
            // the reply waits on the channel, not on this thread, which other sessions share
            replies.holdNextReply(session.getLocalAddress(), session.getRemoteAddress(), failure.delay());
            return new Failure(onThisConnection >= settings.maxFailedLoginsPerConnection());
        }
        String name = canonical.get();
        Optional<SessionLeases.Lease> lease = store.sessionLeases().take(SessionLeases.Kind.POP3_MAILDROP, name, 1);
        if (lease.isEmpty()) {
            AuthLog.refused("pop3", ip, name, "in-use");
            return new InUse();
        }
        try {
            InboxMaildrop maildrop = InboxMaildrop.open(store.mailboxManager(), name, store, lease.get()::close);
            settings.loginGuard().succeeded(ip, name);
            AuthLog.succeeded("pop3", ip, name);
            session.setUsername(org.apache.james.core.Username.of(name));
            return new Success(maildrop);
        } catch (java.io.IOException | RuntimeException e) {
            lease.get().close();
            throw new IllegalStateException("cannot open the maildrop of " + name + ": " + e.getMessage(), e);
        }
    }
}
