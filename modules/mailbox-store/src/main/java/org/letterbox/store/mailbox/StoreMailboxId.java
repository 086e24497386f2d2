package org.letterbox.store.mailbox;

import org.apache.james.mailbox.model.MailboxId;

/** A mailbox's identity: the database's row id. */
public record StoreMailboxId(long value) implements MailboxId {

    /** Parses serialized ids. */
    public static final class Factory implements MailboxId.Factory {
        @Override
        public StoreMailboxId fromString(String serialized) {
            return new StoreMailboxId(Long.parseLong(serialized));
        }
    }

    public static StoreMailboxId of(long value) {
        return new StoreMailboxId(value);
    }

    @Override
    public String serialize() {
        return Long.toString(value);
    }

    @Override
    public String toString() {
        return serialize();
    }
}
