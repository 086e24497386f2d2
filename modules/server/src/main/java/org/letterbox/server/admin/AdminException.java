package org.letterbox.server.admin;

/** An admin request that could not be done; the message is one line for the user. */
public class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
