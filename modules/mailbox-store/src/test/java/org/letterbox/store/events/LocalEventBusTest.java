package org.letterbox.store.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventListener.ReactiveEventListener;
import org.apache.james.events.Group;
import org.apache.james.events.GroupAlreadyRegistered;
import org.apache.james.events.GroupRegistrationNotFound;
import org.apache.james.events.MemoryEventDeadLetters;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.InVmEventDelivery;
import org.letterbox.store.metrics.NoopMetricFactory;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

class LocalEventBusTest {

    private final EventBus bus = new LocalEventBus(new InVmEventDelivery(NoopMetricFactory.INSTANCE),
        RetryBackoffConfiguration.DEFAULT, new MemoryEventDeadLetters());

    @Test
    void aKeyListenerHearsTheEventsOfItsKeyOnly() {
        Counting listener = new Counting();
        Mono.from(bus.register(listener, new Key("INBOX"))).block();

        bus.dispatch(new TestEvent(false), Set.of(new Key("INBOX"))).block();
        bus.dispatch(new TestEvent(false), Set.of(new Key("Sent"))).block();

        assertEquals(1, listener.heard.get());
    }

    @Test
    void aListenerUnregisteredHearsNothingMore() {
        Counting listener = new Counting();
        Registration registration = Mono.from(bus.register(listener, new Key("INBOX"))).block();
        Mono.from(registration.unregister()).block();

        bus.dispatch(new TestEvent(false), Set.of(new Key("INBOX"))).block();

        assertEquals(0, listener.heard.get());
    }

    @Test
    void aGroupHearsEveryEventAndIsRegisteredOnce() {
        Counting listener = new Counting();
        bus.register(listener, new QuotaGroup());

        bus.dispatch(new TestEvent(false), Set.of()).block();
        bus.dispatch(new TestEvent(false), Set.of(new Key("INBOX"))).block();

        assertEquals(2, listener.heard.get());
        assertThrows(GroupAlreadyRegistered.class, () -> bus.register(new Counting(), new QuotaGroup()));
        assertEquals(List.of(new QuotaGroup()), List.copyOf(bus.listRegisteredGroups()));
    }

    @Test
    void aNoopEventReachesNobody() {
        Counting keyed = new Counting();
        Counting grouped = new Counting();
        Mono.from(bus.register(keyed, new Key("INBOX"))).block();
        bus.register(grouped, new QuotaGroup());

        bus.dispatch(new TestEvent(true), Set.of(new Key("INBOX"))).block();

        assertEquals(0, keyed.heard.get() + grouped.heard.get());
    }

    @Test
    void aListenerHearsOnlyTheEventsItHandlesAndOnlyOnceTheDispatchRuns() {
        Counting keyedAll = new Counting();
        Counting keyedNone = new Counting(false);
        Counting groupedAll = new Counting();
        Counting groupedNone = new Counting(false);
        Mono.from(bus.register(keyedAll, new Key("INBOX"))).block();
        Mono.from(bus.register(keyedNone, new Key("INBOX"))).block();
        bus.register(groupedAll, new QuotaGroup());
        bus.register(groupedNone, new OtherGroup());

        Mono<Void> dispatch = bus.dispatch(new TestEvent(false), Set.of(new Key("INBOX")));
        assertEquals(List.of(0, 0, 0, 0), heard(keyedAll, keyedNone, groupedAll, groupedNone));
        dispatch.block();

        assertEquals(List.of(1, 0, 1, 0), heard(keyedAll, keyedNone, groupedAll, groupedNone));
    }

    private static List<Integer> heard(Counting... listeners) {
        return java.util.Arrays.stream(listeners).map(listener -> listener.heard.get()).toList();
    }

    @Test
    void aRedeliveryToAGroupNobodyRegisteredFails() {
        assertThrows(GroupRegistrationNotFound.class, () -> bus.reDeliver(new QuotaGroup(), new TestEvent(false)).block());
    }

    /** What failed with James's InVMEventBus: sessions opening and closing a mailbox while its changes are dispatched. */
    @Test
    void listenersComingAndGoingOnAKeyNeverFailADispatchToIt() throws Exception {
        Key inbox = new Key("INBOX");
        Counting steady = new Counting();
        Mono.from(bus.register(steady, inbox)).block();
        int dispatchers = 2;
        int eventsEach = 10_000;
        AtomicBoolean dispatching = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(dispatchers + 4);
        try {
            List<Future<?>> churn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                churn.add(threads.submit(() -> {
                    while (dispatching.get()) {
                        Registration session = Mono.from(bus.register(new Counting(), inbox)).block();
                        Mono.from(session.unregister()).block();
                    }
                }));
            }
            List<Future<?>> dispatches = new ArrayList<>();
            for (int i = 0; i < dispatchers; i++) {
                dispatches.add(threads.submit(() -> {
                    for (int n = 0; n < eventsEach; n++) {
                        bus.dispatch(new TestEvent(false), Set.of(inbox)).block();
                    }
                }));
            }
            for (Future<?> dispatch : dispatches) {
                dispatch.get(60, TimeUnit.SECONDS);
            }
            dispatching.set(false);
            for (Future<?> session : churn) {
                session.get(10, TimeUnit.SECONDS);
            }
        } finally {
            dispatching.set(false);
            threads.shutdownNow();
        }

        assertEquals(dispatchers * eventsEach, steady.heard.get());
    }

    private static final class Counting implements ReactiveEventListener {
        final AtomicInteger heard = new AtomicInteger();
        private final boolean handling;

        Counting() {
            this(true);
        }

        Counting(boolean handling) {
            this.handling = handling;
        }

        @Override
        public boolean isHandling(Event event) {
            return handling;
        }

        @Override
        public Mono<Void> reactiveEvent(Event event) {
            return Mono.fromRunnable(heard::incrementAndGet);
        }
    }

    private record Key(String name) implements RegistrationKey {
        @Override
        public String asString() {
            return name;
        }
    }

    public static final class QuotaGroup extends Group {
    }

    public static final class OtherGroup extends Group {
    }

    private static final class TestEvent implements Event {
        private final boolean noop;
        private final EventId id = EventId.random();

        TestEvent(boolean noop) {
            this.noop = noop;
        }

        @Override
        public Username getUsername() {
            return Username.of("user@example.test");
        }

        @Override
        public boolean isNoop() {
            return noop;
        }

        @Override
        public EventId getEventId() {
            return id;
        }
    }
}
