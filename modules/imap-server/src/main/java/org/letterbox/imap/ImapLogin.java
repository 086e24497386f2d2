package org.letterbox.imap;

import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.time.Duration;

import org.apache.james.core.Username;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AuthenticateRequest;
import org.apache.james.imap.message.request.IRAuthenticateRequest;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.message.response.AuthenticateResponse;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.letterbox.net.login.AuthLog;
import org.letterbox.net.login.LoginGuard;
import org.letterbox.net.login.SaslPlain;
import org.letterbox.store.account.CredentialVerifier;
import org.letterbox.store.account.MailboxProvisioner;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * LOGIN and AUTHENTICATE PLAIN (with an initial response, or in two steps after a continuation), checked through
 * the store's {@link CredentialVerifier} so that no password is hashed on a protocol or store thread. Every form
 * gets exactly one tagged answer: {@code OK} at once when the password is right, {@code NO}
 * after the failed-login delay (scheduled, no thread waits), {@code NO [UNAVAILABLE]} when too many logins wait for
 * a hash, and {@code BYE} after three failures on one connection.
 */
final class ImapLogin {

    private static final String FAILURES = "letterbox.loginFailures";
    private static final int MAX_FAILURES = 3;

    /** What was claimed: a user name and password, or nothing usable. */
    private record Claim(String user, String password) {
    }

    /** What the session counter decides once the password is known to be right. */
    interface SessionSlots {
        /** True when {@code user} may open one more session; the slot is then taken for {@code session}. */
        boolean take(ImapSession session, String user);
    }

    private final CredentialVerifier verifier;
    private final MailboxManager mailboxManager;
    private final Scheduler scheduler;
    private final Duration failedLoginDelay;
    private final SessionSlots slots;
    private final LoginGuard guard;
    private final StatusResponseFactory replies = new UnpooledStatusResponseFactory();

    ImapLogin(CredentialVerifier verifier, MailboxManager mailboxManager, Scheduler scheduler, Duration failedLoginDelay,
              SessionSlots slots, LoginGuard guard) {
        this.guard = guard;
        this.verifier = verifier;
        this.mailboxManager = mailboxManager;
        this.scheduler = scheduler;
        this.failedLoginDelay = failedLoginDelay;
        this.slots = slots;
    }

    /** True for the requests this class answers itself; others (plain text refused, other mechanisms) go to James. */
    static boolean handles(ImapRequest request, ImapSession session) {
        if (session.isPlainAuthDisallowed()) {
            return false;
        }
        return request instanceof LoginRequest
            || (request instanceof AuthenticateRequest authenticate && "PLAIN".equalsIgnoreCase(authenticate.getAuthType()));
    }

    Mono<Void> process(ImapRequest request, Responder responder, ImapSession session) {
        if (request instanceof LoginRequest login) {
            return check(new Claim(login.getUserid().asString(), login.getPassword()), request, responder, session);
        }
        if (request instanceof IRAuthenticateRequest initial) {
            return check(plain(initial.getInitialClientResponse()), request, responder, session);
        }
        // Two steps: the credentials come on the next line, after our continuation. The continuation is written on
        // the event loop, and this command completes only once it is out: the processor flushes the same response
        // buffer when a command completes, and two flushes of one buffer on two threads can write the "+" twice,
        // after which the client sends its credentials twice and the second copy is read as a command (BYE).
        return Mono.create(written -> session.executeSafely(() -> {
            try {
                continueWithCredentials(request, responder, session);
            } finally {
                written.success();
            }
        }));
    }

    private void continueWithCredentials(ImapRequest request, Responder responder, ImapSession session) {
        session.pushLineHandler((current, line) -> {
            current.popLineHandler();
            String text = new String(line, StandardCharsets.US_ASCII).trim();
            if (text.equals("*")) {
                responder.respond(replies.taggedBad(request.getTag(), request.getCommand(),
                    new HumanReadableText("org.letterbox.imap.cancelled", "AUTHENTICATE cancelled.")));
                responder.flush();
                return;
            }
            check(plain(text), request, responder, current).subscribe();
        });
        responder.respond(new AuthenticateResponse());
        responder.flush();
    }

    /** RFC 4616, through the one decoder every protocol uses; nothing usable when malformed or delegated. */
    private static Claim plain(String base64) {
        return SaslPlain.decode(base64)
            .map(credentials -> new Claim(credentials.user(), credentials.password()))
            .orElse(new Claim(null, null));
    }

    private Mono<Void> check(Claim claim, ImapRequest request, Responder responder, ImapSession session) {
        InetAddress ip = remoteIp(session);
        if (claim.user() == null) {
            return failed(claim, request, responder, session, ip);
        }
        LoginGuard.Admission admission = guard.admit(ip, claim.user());
        if (admission instanceof LoginGuard.Refused refused) {
            if (refused.isBadName()) {
                return failed(claim, request, responder, session, ip);
            }
            AuthLog.refused("imap", ip, claim.user(), refused.reason());
            return answer(responder, replies.taggedNo(request.getTag(), request.getCommand(),
                new HumanReadableText("org.letterbox.imap.guarded", "Too many failed logins, try again later."),
                StoreBoundImapProcessor.namedCode("UNAVAILABLE")));
        }
        return Mono.fromFuture(() -> verifier.verify(claim.user(), claim.password()))
            .publishOn(scheduler)
            .flatMap(outcome -> {
                if (outcome instanceof CredentialVerifier.Verified verified) {
                    return succeeded(verified.user(), request, responder, session, ip);
                }
                if (outcome instanceof CredentialVerifier.Busy) {
                    AuthLog.refused("imap", ip, claim.user(), "busy");
                    return answer(responder, replies.taggedNo(request.getTag(), request.getCommand(),
                        new HumanReadableText("org.letterbox.imap.busy", "Too many logins at once, try again later."),
                        StoreBoundImapProcessor.namedCode("UNAVAILABLE")));
                }
                return failed(claim, request, responder, session, ip);
            });
    }

    private static InetAddress remoteIp(ImapSession session) {
        try {
            // a numeric address, as the channel gave it: no lookup
            return InetAddress.getByName(String.valueOf(session.getAttribute(StoreBoundImapProcessor.REMOTE_IP)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("session without a numeric remote address", e);
        }
    }

    private Mono<Void> succeeded(String user, ImapRequest request, Responder responder, ImapSession session, InetAddress ip) {
        return Mono.fromCallable(() -> {
            if (!slots.take(session, user)) {
                AuthLog.refused("imap", ip, user, "too-many-sessions");
                responder.respond(replies.taggedNo(request.getTag(), request.getCommand(),
                    new HumanReadableText("org.letterbox.imap.limit", "Too many sessions for this user"),
                    StoreBoundImapProcessor.namedCode("LIMIT")));
                return false;
            }
            MailboxSession mailboxSession = mailboxManager.authenticate(Username.of(user)).withoutDelegation();
            provisionInbox(mailboxSession);
            session.authenticated();
            if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof io.netty.channel.Channel channel) {
                org.letterbox.net.PreAuthConnections.loggedIn(channel);
            }
            session.setMailboxSession(mailboxSession);
            guard.succeeded(ip, user);
            AuthLog.succeeded("imap", ip, user);
            responder.respond(replies.taggedOk(request.getTag(), request.getCommand(), HumanReadableText.COMPLETED));
            return true;
        }).flatMap(ok -> {
            responder.flush();
            if (ok) {
                session.stopDetectingCommandInjection();
            }
            return Mono.<Void>empty();
        }).onErrorResume(error -> {
            LoggerFactory.getLogger(ImapLogin.class).error("login of {} could not open the session", user, error);
            return answer(responder, replies.taggedNo(request.getTag(), request.getCommand(),
                HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING));
        });
    }

    private void provisionInbox(MailboxSession mailboxSession) {
        new MailboxProvisioner(mailboxManager).inbox(mailboxSession.getUser().asString());
    }

    private Mono<Void> failed(Claim claim, ImapRequest request, Responder responder, ImapSession session, InetAddress ip) {
        int failures = session.getAttribute(FAILURES) instanceof Integer past ? past + 1 : 1;
        session.setAttribute(FAILURES, failures);
        LoginGuard.Failure failure = guard.failed(ip, claim.user(), failedLoginDelay);
        AuthLog.failed("imap", ip, claim.user(), failure.count());
        Mono<Void> delay = Mono.delay(failure.delay()).then();
        if (failures < MAX_FAILURES) {
            HumanReadableText text = request instanceof LoginRequest ? HumanReadableText.INVALID_LOGIN : HumanReadableText.AUTHENTICATION_FAILED;
            // James's wording and no response code, as its MPT scripts expect
            return delay.then(answer(responder, replies.taggedNo(request.getTag(), request.getCommand(), text)));
        }
        return delay.then(Mono.fromRunnable(() -> responder.respond(replies.bye(HumanReadableText.TOO_MANY_FAILURES))))
            .then(session.logout())
            .then(Mono.fromRunnable(() -> {
                responder.flush();
                if (session.getAttribute(StoreBoundImapProcessor.CHANNEL) instanceof io.netty.channel.Channel channel
                    && channel.isActive()) {
                    channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }));
    }

    private static Mono<Void> answer(Responder responder, StatusResponse response) {
        return Mono.fromRunnable(() -> {
            responder.respond(response);
            responder.flush();
        });
    }
}
