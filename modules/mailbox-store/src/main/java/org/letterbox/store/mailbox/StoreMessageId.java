package org.letterbox.store.mailbox;

import java.util.UUID;

import org.apache.james.mailbox.model.MessageId;

/**
 * A message's identity across mailboxes: copies of a message share it, and with it the one stored copy of the
 * bytes. Random (UUID), so ids can be made on any node without coordination.
 */
public record StoreMessageId(String value) implements MessageId {

    /** Makes and parses message ids. */
    public static final class Factory implements MessageId.Factory {
        @Override
        public StoreMessageId fromString(String serialized) {
            return new StoreMessageId(UUID.fromString(serialized).toString());
        }

        @Override
        public StoreMessageId generate() {
            return new StoreMessageId(UUID.randomUUID().toString());
        }
    }

    @Override
    public String serialize() {
        return value;
    }

    @Override
    public boolean isSerializable() {
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
