package org.letterbox.imap;

import java.time.Duration;
import java.util.List;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.CompressRequest;
import org.apache.james.mailbox.MailboxManager;
import org.letterbox.store.account.CredentialVerifier;
import org.apache.james.imap.message.request.IdleRequest;
import org.apache.james.imap.message.request.AbstractMailboxSelectionRequest;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.message.response.ImmutableStatusResponse;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.message.request.GetQuotaRootRequest;
import org.apache.james.imap.message.request.SearchRequest;
import org.apache.james.imap.message.request.StartTLSRequest;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs James's IMAP processor on the store's scheduler, never on a Netty event loop, behind a chain of
 * {@link ImapStep}s that add what a personal server needs: the refusal of oversized literals before login, logins
 * ({@link ImapLogin}: the failed-login delay, the guard, the per-user session cap, one log line per login), a BYE for
 * a mailbox deleted elsewhere, LIST with several patterns, and the APPEND size and disk checks. What a step passes
 * goes to James, with reply correctors where James's answers need them.
 */
final class StoreBoundImapProcessor implements ImapProcessor {

    static final String REMOTE_IP = "letterbox.remoteIp";
    /** The session's Netty channel, so that it can be closed from outside a command (a BYE during IDLE). */
    static final String CHANNEL = "letterbox.channel";

    private final ImapProcessor delegate;
    private final Scheduler scheduler;
    private final MailboxManager mailboxManager;
    private final CompressActivation compression = new CompressActivation();
    private final UserSessionSlots slots;
    private final List<ImapStep> steps;

    StoreBoundImapProcessor(ImapProcessor delegate, Scheduler scheduler, Duration failedLoginDelay,
                            org.letterbox.store.session.SessionLeases leases, int maxSessionsPerUser,
                            long maxAppendSize, CredentialVerifier verifier, MailboxManager mailboxManager,
                            org.letterbox.net.login.LoginGuard guard, org.letterbox.store.jdbc.DiskSpace diskSpace) {
        this.delegate = delegate;
        this.mailboxManager = mailboxManager;
        this.scheduler = scheduler;
        this.slots = new UserSessionSlots(leases, maxSessionsPerUser);
        ImapLogin login = new ImapLogin(verifier, mailboxManager, scheduler, failedLoginDelay, slots::take, guard);
        this.steps = List.of(
            new OversizedLiteralRefusal(),
            (message, responder, session) -> message instanceof ImapRequest request && ImapLogin.handles(request, session)
                ? login.process(request, responder, session) : null,
            new DeletedMailboxBye(),
            (message, responder, session) -> message instanceof MultiPatternListRequest list
                ? MultiPatternListReplies.process(delegate, list, responder, session) : null,
            new AppendAdmission(maxAppendSize, diskSpace),
            new UnknownCommandBeforeLogin.Answer(),
            new LogoutAnswer(slots::release));
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof CompressRequest compress) {
            return compression.process(compress, responder, session);
        }
        if (message instanceof StartTLSRequest) {
            // Stays on the event loop, as in stock James: the reply and the SslHandler are then queued behind this
            // task, after the channel handler's own flush. On another thread the two flushes race (a doubled OK).
            return delegate.processReactive(message, responder, session);
        }
        // Nothing is answered before the command's turn: James calls this as soon as the command is read, while
        // earlier pipelined commands may still be running. The replies leave from the thread that wrote them,
        // before the command completes: James's channel handler flushes only after the completion, and that flush
        // can come after the next pipelined command's replies (seen with a few hundred commands in flight); it
        // also closes a logged-out session before flushing, which would swallow the "* BYE".
        Mono<Void> answered = Mono.defer(() -> answer(message, responder, session))
            .then(Mono.<Void>fromRunnable(responder::flush))
            .subscribeOn(scheduler);
        // Before login a STARTTLS may follow, answered on the event loop into the same response buffer that James's
        // channel handler flushes once more after each command completes. Completing on the event loop keeps the two
        // flushes apart; on a store or timer thread (a delayed refusal) they could overlap and write STARTTLS's OK
        // twice, the second time inside TLS (seen once under a loaded full build).
        if (session.getState() == org.apache.james.imap.api.ImapSessionState.NON_AUTHENTICATED
                && session.getAttribute(CHANNEL) instanceof io.netty.channel.Channel channel) {
            answered = answered.publishOn(reactor.core.scheduler.Schedulers.fromExecutor(channel.eventLoop()));
        }
        return answered;
    }

    private Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        for (ImapStep step : steps) {
            Mono<Void> answered = step.answer(message, responder, session);
            if (answered != null) {
                return answered;
            }
        }
        Mono<Void> processing = delegate.processReactive(message, repliesFor(message, responder, session), session);
        if (message instanceof IdleRequest) {
            processing = processing.then(Mono.fromRunnable(() -> IdleFlagUpdates.deferIdleListener(session, responder)));
        }
        return processing;
    }

    /** The responder for James's answer: ours where James's replies need correcting, else the channel's own. */
    private Responder repliesFor(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof AbstractMailboxSelectionRequest selection && QresyncVanishedReplies.applies(selection)) {
            return new QresyncVanishedReplies(selection, responder, session);
        }
        if (message instanceof GetQuotaRootRequest) {
            return new QuotaRootReplies(responder);
        }
        if (message instanceof SearchRequest search) {
            return new SearchReplies(search, responder, session, mailboxManager);
        }
        return responder;
    }

    /** The connection is gone: frees the session's slot now, or as soon as a login still in flight succeeds. */
    void connectionClosed(ImapSession session) {
        slots.connectionClosed(session);
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        delegate.configure(configuration);
    }

    /**
     * A tagged NO with an RFC 5530 response code, e.g. [LIMIT] or [TOOBIG]. (A plain ImmutableStatusResponse: James
     * picks encoders by exact class.)
     */
    static StatusResponse refusal(ImapRequest request, String key, String text, String code) {
        return refusal(request.getTag(), request.getCommand(), key, text, code);
    }

    private static StatusResponse refusal(StatusResponse answered, String key, String text, String code) {
        return refusal(answered.getTag(), answered.getCommand(), key, text, code);
    }

    private static StatusResponse refusal(Tag tag, ImapCommand command, String key, String text, String code) {
        return new ImmutableStatusResponse(StatusResponse.Type.NO, tag, command,
            new HumanReadableText(key, text), namedCode(code));
    }

    /**
     * An RFC 5530 code by its registered name. James 3.8.1 only builds X-prefixed extension codes publicly, so the
     * private constructor is used; the names we pass are constants.
     */
    static StatusResponse.ResponseCode namedCode(String name) {
        try {
            var constructor = StatusResponse.ResponseCode.class.getDeclaredConstructor(String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(name);
        } catch (ReflectiveOperationException e) {
            return StatusResponse.ResponseCode.createExtension(name);
        }
    }
}
