package org.letterbox.imap;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.processor.base.SelectedMailboxImpl;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * Makes flag changes by other sessions reach a session in IDLE.
 *
 * <p>James 3.8.1's {@code SelectedMailboxImpl} records an event lazily but builds the IDLE listener's reply eagerly:
 * the list of changed flags is read before the event that fills it has been applied, so EXISTS and EXPUNGE (read
 * lazily) are sent and FETCH FLAGS never is. Once IDLE has registered its listener, this swaps in a wrapper that
 * only builds the reply when it runs, after the event is applied. The wrapper also ends the session with
 * {@code * BYE} when another session deletes the mailbox, which James does not notice during IDLE. The field is private, hence reflection; if it
 * is not there (another James version), IDLE works as before, without pushed flag changes.
 */
final class IdleFlagUpdates {

    private static final Logger LOGGER = LoggerFactory.getLogger(IdleFlagUpdates.class);
    private static final Field IDLE_LISTENER = idleListenerField();

    private IdleFlagUpdates() {
    }

    private static Field idleListenerField() {
        try {
            Field field = SelectedMailboxImpl.class.getDeclaredField("idleEventListener");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOGGER.warn("IDLE will not push flag changes: {}", e.toString());
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static void deferIdleListener(ImapSession session, ImapProcessor.Responder responder) {
        SelectedMailbox selected = session.getSelected();
        if (IDLE_LISTENER == null || !(selected instanceof SelectedMailboxImpl)) {
            return;
        }
        try {
            AtomicReference<EventListener.ReactiveEventListener> registered =
                (AtomicReference<EventListener.ReactiveEventListener>) IDLE_LISTENER.get(selected);
            EventListener.ReactiveEventListener listener = registered.get();
            if (listener != null && !(listener instanceof Deferred)) {
                registered.compareAndSet(listener, new Deferred(listener, session, responder, selected));
            }
        } catch (IllegalAccessException e) {
            LOGGER.debug("cannot defer the IDLE listener", e);
        }
    }

    /**
     * Builds the wrapped listener's reply at subscription time, not when the event is announced; and when another
     * session deletes the mailbox, says {@code * BYE} and closes the connection at once, as outside IDLE.
     */
    private record Deferred(EventListener.ReactiveEventListener delegate, ImapSession session,
                            ImapProcessor.Responder responder, SelectedMailbox selected)
            implements EventListener.ReactiveEventListener {
        @Override
        public Publisher<Void> reactiveEvent(Event event) {
            return Mono.defer(() -> {
                if (event instanceof MailboxEvents.MailboxDeletion && selected.isDeletedByOtherSession()) {
                    return DeletedMailboxBye.bye(session, responder);
                }
                return Mono.from(delegate.reactiveEvent(event));
            });
        }

        @Override
        public boolean isHandling(Event event) {
            return delegate.isHandling(event);
        }

        @Override
        public ExecutionMode getExecutionMode() {
            return delegate.getExecutionMode();
        }
    }
}
