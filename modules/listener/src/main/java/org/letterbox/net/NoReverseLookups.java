package org.letterbox.net;

/**
 * Keeps James's protocol handlers from looking up the client's host name. By default they put it in the logging
 * context of every connection, found by a reverse DNS lookup on the event loop as the connection opens: a slow
 * resolver then stalls every connection on that loop, and even on loopback the lookup cost about 2 % of the SMTP
 * listener's CPU. Our log lines carry the address; nothing of ours reads the name. An operator who sets James's
 * switch ({@value #PROPERTY}) explicitly keeps their choice.
 */
public final class NoReverseLookups {

    /** James's switch, read once, when its {@code ProtocolMDCContextFactory} is first used. */
    public static final String PROPERTY = "james.protocols.mdc.hostname";

    private NoReverseLookups() {
    }

    /** Turns the lookups off unless set already; each protocol server calls this before it uses James's handlers. */
    public static void apply() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }
}
