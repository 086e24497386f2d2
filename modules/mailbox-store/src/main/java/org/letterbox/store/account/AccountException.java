package org.letterbox.store.account;

/** A user, domain or alias operation was refused; the message says why in one line. */
public class AccountException extends RuntimeException {
    public AccountException(String message) {
        super(message);
    }
}
