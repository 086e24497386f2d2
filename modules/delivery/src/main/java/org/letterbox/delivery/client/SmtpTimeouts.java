package org.letterbox.delivery.client;

import java.time.Duration;

/**
 * How long the client waits at each step, RFC 5321 §4.5.3.2's minimums by default.
 *
 * @param connect establishing the TCP connection (not in the RFC; 30 s)
 * @param greeting the 220 greeting (5 min)
 * @param command replies to EHLO, STARTTLS, AUTH, MAIL, RCPT, RSET and QUIT (5 min)
 * @param dataInitiation the 354 to DATA (2 min)
 * @param dataBlock each write of message data accepted by the peer (3 min)
 * @param dataTermination the reply to the final dot (10 min)
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration command, Duration dataInitiation,
                           Duration dataBlock, Duration dataTermination) {

    public static final SmtpTimeouts RFC_5321 = new SmtpTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
        Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));

    /** The same timeouts, each no longer than {@code cap} (tests use this to wait seconds, not minutes). */
    public SmtpTimeouts cappedAt(Duration cap) {
        return new SmtpTimeouts(min(connect, cap), min(greeting, cap), min(command, cap), min(dataInitiation, cap),
            min(dataBlock, cap), min(dataTermination, cap));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
