package org.letterbox.smtp;

import java.net.InetAddress;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.letterbox.net.login.AuthLog;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.net.login.ReplyHold;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.CredentialVerifier;

/**
 * AUTH PLAIN and LOGIN against the users table. Refused without TLS (538 5.7.11) unless the connection is loopback
 * and that is allowed. The shared {@link LoginGuard} may refuse the attempt before any check (454 4.7.0); a failure
 * (535 5.7.8) is answered after the guard's growing delay, held on the channel rather than on this thread, and the
 * connection's last allowed failure closes it (421 4.7.0). Every attempt is logged through {@link AuthLog}.
 */
final class StoreAuthHook implements AuthHook {

    private static final ProtocolSession.AttachmentKey<Integer> FAILURES =
        ProtocolSession.AttachmentKey.of("letterbox.authFailures", Integer.class);

    private final MailStore store;
    private final SmtpSettings settings;
    private final ReplyHold replies;

    StoreAuthHook(MailStore store, SmtpSettings settings, ReplyHold replies) {
        this.store = store;
        this.settings = settings;
        this.replies = replies;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        InetAddress ip = session.getRemoteAddress().getAddress();
        if (!LetterboxSmtpConfiguration.authAllowed(settings, ip.getHostAddress(), session.isTLSStarted())) {
            return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.ENCRYPTION_REQUIRED, "5.7.11 Encryption required: STARTTLS first");
        }
        String claimed = username.asString();
        LoginGuard guard = settings.loginGuard();
        LoginGuard.Admission admission = guard.admit(ip, claimed);
        if (admission instanceof LoginGuard.Refused refused && !refused.isBadName()) {
            AuthLog.refused("smtp", ip, claimed, refused.reason());
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.AUTHENTICATION_FAILED_TEMPORARILY, "4.7.0 Too many failed logins; try again later");
        }
        if (admission instanceof LoginGuard.Admitted) {
            CredentialVerifier.Outcome outcome = store.credentials().verify(claimed, password).join();
            if (outcome instanceof CredentialVerifier.Busy) {
                return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.AUTHENTICATION_FAILED_TEMPORARILY, "4.7.0 Temporary authentication failure, try again later");
            }
            if (outcome instanceof CredentialVerifier.Verified verified) {
                guard.succeeded(ip, verified.user());
                AuthLog.succeeded("smtp", ip, verified.user());
                session.setUsername(Username.of(verified.user()));
                session.setRelayingAllowed(true);
                return SmtpReplies.reply(HookReturnCode.ok(), SmtpReplies.AUTHENTICATION_SUCCEEDED, "2.7.0 Authentication successful");
            }
        }
        LoginGuard.Failure failure = guard.failed(ip, claimed, settings.failedLoginDelay());
        AuthLog.failed("smtp", ip, claimed, failure.count());
        int onThisConnection = session.getAttachment(FAILURES, ProtocolSession.State.Connection).orElse(0) + 1;
        session.setAttachment(FAILURES, onThisConnection, ProtocolSession.State.Connection);
        // the reply waits on the channel, not on this thread, which other sessions share
        replies.holdNextReply(session.getLocalAddress(), session.getRemoteAddress(), failure.delay());
        if (onThisConnection >= settings.maxAuthFailuresPerConnection()) {
            return SmtpReplies.reply(HookReturnCode.disconnected(HookReturnCode.Action.DENY), SmtpReplies.SERVICE_NOT_AVAILABLE,
                "4.7.0 Too many failed logins, closing connection");
        }
        return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.AUTHENTICATION_FAILED, "5.7.8 Authentication credentials invalid");
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }
}
