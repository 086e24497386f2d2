package org.letterbox.imap;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.CompressRequest;
import org.apache.james.mailbox.MailboxManager;
import org.letterbox.store.account.CredentialVerifier;
import org.apache.james.imap.message.request.LogoutRequest;
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
 * Runs James's IMAP processor on the store's scheduler, never on a Netty event loop, and adds what a personal
 * server needs around logins ({@link ImapLogin}): a delay before a failed login is answered, a cap on sessions per
 * user, and one log line per login (success or failure, in a stable format for fail2ban).
 */
final class StoreBoundImapProcessor implements ImapProcessor {

    private static final String COUNTED_USER = "letterbox.countedUser";
    private static final String CLOSED = "letterbox.closed";
    static final String REMOTE_IP = "letterbox.remoteIp";
    /** The session's Netty channel, so that it can be closed from outside a command (a BYE during IDLE). */
    static final String CHANNEL = "letterbox.channel";

    private final ImapProcessor delegate;
    private final Scheduler scheduler;
    private final int maxSessionsPerUser;
    private final long maxAppendSize;
    private final ConcurrentHashMap<String, AtomicInteger> sessionsPerUser = new ConcurrentHashMap<>();
    private final ImapLogin login;
    private final MailboxManager mailboxManager;
    private final CompressActivation compression = new CompressActivation();
    private final org.letterbox.store.jdbc.DiskSpace diskSpace;

    StoreBoundImapProcessor(ImapProcessor delegate, Scheduler scheduler, Duration failedLoginDelay, int maxSessionsPerUser,
                            long maxAppendSize, CredentialVerifier verifier, MailboxManager mailboxManager,
                            org.letterbox.net.login.LoginGuard guard, org.letterbox.store.jdbc.DiskSpace diskSpace) {
        this.delegate = delegate;
        this.diskSpace = diskSpace;
        this.login = new ImapLogin(verifier, mailboxManager, scheduler, failedLoginDelay, this::takeSlot, guard);
        this.mailboxManager = mailboxManager;
        this.maxAppendSize = maxAppendSize;
        this.scheduler = scheduler;
        this.maxSessionsPerUser = maxSessionsPerUser;
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
        return Mono.defer(() -> answer(message, responder, session))
            .then(Mono.<Void>fromRunnable(responder::flush))
            .subscribeOn(scheduler);
    }

    private Mono<Void> answer(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof PreAuthLiteral.Refusal refusal) {
            return refuseLiteralBeforeLogin(refusal, responder, session);
        }
        if (message instanceof ImapRequest request && ImapLogin.handles(request, session)) {
            return login.process(request, responder, session);
        }
        SelectedMailbox selected = session.getSelected();
        if (selected != null && selected.isDeletedByOtherSession() && !(message instanceof LogoutRequest)) {
            return byeForDeletedMailbox(session, responder);
        }
        if (message instanceof MultiPatternListRequest list) {
            return MultiPatternListReplies.process(delegate, list, responder, session);
        }
        if (message instanceof AppendRequest append && tooBig(append)) {
            // RFC 7889: the literal (already spooled to disk if large) is dropped, nothing is stored
            responder.respond(refusal(append, "org.letterbox.imap.toobig", "Message too big for this server", "TOOBIG"));
            return Mono.empty();
        }
        if (message instanceof AppendRequest append && !roomFor(append)) {
            responder.respond(refusal(append, "org.letterbox.imap.nospace", "Insufficient storage on the server, try again later",
                "UNAVAILABLE"));
            return Mono.empty();
        }
        Mono<Void> processing = delegate.processReactive(message, repliesFor(message, responder, session), session);
        if (message instanceof IdleRequest) {
            processing = processing.then(Mono.fromRunnable(() -> IdleFlagUpdates.deferIdleListener(session, responder)));
        }
        if (message instanceof LogoutRequest) {
            processing = processing.doFinally(signal -> release(session));
        }
        return processing;
    }

    /** How long a connection refused for an oversized literal keeps draining what its client still sends. */
    private static final int LINGER_BEFORE_CLOSE_SECONDS = 2;

    private static Mono<Void> refuseLiteralBeforeLogin(PreAuthLiteral.Refusal refusal, Responder responder, ImapSession session) {
        HumanReadableText text = new HumanReadableText("org.letterbox.imap.preauthliteral", "Literal too large before login");
        Tag tag = refusal.tag().equals("*") ? null : new Tag(refusal.tag());
        responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BAD, tag, null, text, null));
        if (!refusal.closes()) {
            return Mono.empty();
        }
        // its bytes are on their way unasked: the connection ends, as it cannot be read past them
        responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BYE, null, null, text, null));
        return session.logout().then(Mono.fromRunnable(() -> {
            responder.flush();
            if (session.getAttribute(CHANNEL) instanceof io.netty.channel.Channel channel && channel.isActive()) {
                // Half-close: the client gets BAD, BYE and an end of stream. The decoder discards what it still
                // sends for a moment before the close, which would otherwise reset the connection, and a reset can
                // lose those two replies before the client reads them.
                channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(written -> {
                    if (channel instanceof io.netty.channel.socket.SocketChannel socket) {
                        socket.shutdownOutput();
                        channel.eventLoop().schedule(() -> channel.close(), LINGER_BEFORE_CLOSE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                    } else {
                        channel.close();
                    }
                });
            }
        }));
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

    /**
     * RFC 3501 §7.1.5: the selected mailbox is gone; says why, logs the session out and closes the connection, as
     * Dovecot and Cyrus do.
     */
    static Mono<Void> byeForDeletedMailbox(ImapSession session, Responder responder) {
        return Mono.fromRunnable(() -> responder.respond(new ImmutableStatusResponse(StatusResponse.Type.BYE, null, null,
                new HumanReadableText("org.letterbox.imap.deleted", "Selected mailbox has been deleted"), null)))
            .then(session.logout())
            .then(Mono.<Void>fromRunnable(() -> {
                responder.flush();
                if (session.getAttribute(CHANNEL) instanceof io.netty.channel.Channel channel && channel.isActive()) {
                    channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                }
            }));
    }

    /** Takes one of {@code user}'s session slots for {@code session}, or says no when they are all in use. */
    private boolean takeSlot(ImapSession session, String user) {
        AtomicInteger count = sessionsPerUser.computeIfAbsent(user, key -> new AtomicInteger());
        if (count.incrementAndGet() > maxSessionsPerUser) {
            count.decrementAndGet();
            return false;
        }
        countSession(session, user);
        return true;
    }

    /** Records the counted slot; if the connection closed while the login ran, gives the slot straight back. */
    private void countSession(ImapSession session, String user) {
        synchronized (session) {
            session.setAttribute(COUNTED_USER, user);
            if (session.getAttribute(CLOSED) != null) {
                release(session);
            }
        }
    }

    private boolean tooBig(AppendRequest append) {
        try {
            return append.getMessage().size() > maxAppendSize;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private boolean roomFor(AppendRequest append) {
        try {
            diskSpace.requireRoomFor(append.getMessage().size());
            return true;
        } catch (org.letterbox.store.jdbc.DiskSpace.Insufficient e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** Frees the session's slot in the per-user count; called on LOGOUT and when the connection closes. */
    void release(ImapSession session) {
        synchronized (session) {
            Object user = session.getAttribute(COUNTED_USER);
            if (user != null) {
                session.setAttribute(COUNTED_USER, null);
                AtomicInteger count = sessionsPerUser.get((String) user);
                if (count != null) {
                    count.decrementAndGet();
                }
            }
        }
    }

    /** The connection is gone: frees the slot now, or as soon as a login still in flight succeeds. */
    void connectionClosed(ImapSession session) {
        synchronized (session) {
            session.setAttribute(CLOSED, Boolean.TRUE);
            release(session);
        }
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        delegate.configure(configuration);
    }

    /**
     * A tagged NO with an RFC 5530 response code, e.g. [LIMIT] or [TOOBIG]. (A plain ImmutableStatusResponse: James
     * picks encoders by exact class.)
     */
    private static StatusResponse refusal(ImapRequest request, String key, String text, String code) {
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
