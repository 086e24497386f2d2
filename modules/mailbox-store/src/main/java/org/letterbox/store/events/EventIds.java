package org.letterbox.store.events;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.james.events.Event;

/** Ids for the events the store raises for every message. */
public final class EventIds {

    private EventIds() {
    }

    /**
     * A unique id without SecureRandom (UUID.randomUUID's lock and system call, for every stored message): an event
     * id only has to be unique, not unguessable.
     */
    public static Event.EventId next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Event.EventId.of(new UUID(random.nextLong(), random.nextLong()));
    }
}
