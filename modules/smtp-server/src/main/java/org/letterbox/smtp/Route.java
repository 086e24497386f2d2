package org.letterbox.smtp;

/** Where one accepted recipient's copy goes, decided once at RCPT. */
sealed interface Route {

    /** Into the INBOX of a local user (their canonical name). */
    record LocalUser(String user) implements Route {
    }

    /** Into the outbound queue, for an address outside our domains (an alias pointing out). */
    record RemoteAddress(String address) implements Route {
    }
}
