package org.letterbox.store.jdbc;

/** An unchecked failure of the store: the database could not be read or written. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
