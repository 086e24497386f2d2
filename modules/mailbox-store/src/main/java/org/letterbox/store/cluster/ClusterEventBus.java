package org.letterbox.store.cluster;

import java.util.Collection;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventBusName;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.events.GroupAlreadyRegistered;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * The node's event bus: events raised here are dispatched to this node's listeners at once, as by the in-VM bus it
 * wraps, and handed to {@code outbound} for the other nodes. Events that came from another node are dispatched
 * with {@link #dispatchFromOtherNode} and go no further.
 */
public final class ClusterEventBus implements EventBus {

    private final EventBus local;
    private volatile BiConsumer<Event, Set<RegistrationKey>> outbound = (event, keys) -> { };

    public ClusterEventBus(EventBus local) {
        this.local = local;
    }

    /** Where events raised on this node go for the others, once the node is linked to them. */
    public void publishTo(BiConsumer<Event, Set<RegistrationKey>> sink) {
        this.outbound = sink;
    }

    @Override
    public Mono<Void> dispatch(Event event, Set<RegistrationKey> keys) {
        return local.dispatch(event, keys).then(Mono.fromRunnable(() -> outbound.accept(event, keys)));
    }

    /** An event another node raised: for this node's listeners only. */
    public void dispatchFromOtherNode(Event event, Set<RegistrationKey> keys) {
        local.dispatch(event, keys).block();
    }

    @Override
    public Publisher<Registration> register(EventListener.ReactiveEventListener listener, RegistrationKey key) {
        return local.register(listener, key);
    }

    @Override
    public Registration register(EventListener.ReactiveEventListener listener, Group group) throws GroupAlreadyRegistered {
        return local.register(listener, group);
    }

    @Override
    public Mono<Void> reDeliver(Group group, Event event) {
        return local.reDeliver(group, event);
    }

    @Override
    public EventBusName eventBusName() {
        return local.eventBusName();
    }

    @Override
    public Collection<Group> listRegisteredGroups() {
        return local.listRegisteredGroups();
    }
}
