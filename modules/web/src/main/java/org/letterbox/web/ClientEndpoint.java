package org.letterbox.web;

import java.util.Locale;

/**
 * One place a mail client connects to.
 *
 * @param protocol IMAP, POP3 or SMTP (submission)
 * @param port the port clients use
 * @param security implicit TLS, or STARTTLS
 */
public record ClientEndpoint(Protocol protocol, int port, Security security) {

    public enum Protocol {
        IMAP, POP3, SMTP;

        /** The lower-case name autoconfig and profiles use. */
        public String lower() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Security {
        /** TLS from the first byte (993, 995, 465). */
        IMPLICIT_TLS,
        /** Plain text upgraded by STARTTLS or STLS (143, 110, 587). */
        STARTTLS
    }

    public ClientEndpoint {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
    }
}
