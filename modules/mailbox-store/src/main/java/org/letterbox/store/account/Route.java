package org.letterbox.store.account;

/** Where mail for one address goes: a local user's mailbox or an address outside our domains. */
public sealed interface Route {

    /** Into the INBOX of a local user (their canonical name). */
    record LocalUser(String user) implements Route {
    }

    /** Into the outbound queue, for an address outside our domains (given directly, or an alias pointing out). */
    record RemoteAddress(String address) implements Route {
    }
}
