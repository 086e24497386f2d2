package org.letterbox.delivery.client;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a server said it supports in its EHLO reply (nothing, after HELO).
 *
 * @param size whether SIZE was announced (then MAIL may say the message's size)
 * @param maxSize the SIZE limit in bytes, 0 when none was announced
 * @param authMechanisms upper-case SASL mechanism names
 */
public record Capabilities(boolean esmtp, boolean pipelining, boolean startTls, boolean eightBitMime, boolean smtpUtf8,
                           boolean dsn, boolean enhancedStatusCodes, boolean size, long maxSize, Set<String> authMechanisms) {

    public Capabilities {
        authMechanisms = Set.copyOf(authMechanisms);
    }

    /** What a server that only took HELO supports: nothing. */
    public static final Capabilities NONE = new Capabilities(false, false, false, false, false, false, false, false, 0, Set.of());

    /** Reads an EHLO reply; its first line is the greeting, each later line one keyword and its parameters. */
    public static Capabilities of(SmtpReply ehlo) {
        List<String> lines = ehlo.lines();
        boolean pipelining = false;
        boolean startTls = false;
        boolean eightBit = false;
        boolean utf8 = false;
        boolean dsn = false;
        boolean enhanced = false;
        boolean sizeAnnounced = false;
        long size = 0;
        Set<String> auth = new HashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] words = lines.get(i).trim().split("[ =]+");
            if (words.length == 0) {
                continue;
            }
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "PIPELINING" -> pipelining = true;
                case "STARTTLS" -> startTls = true;
                case "8BITMIME" -> eightBit = true;
                case "SMTPUTF8" -> utf8 = true;
                case "DSN" -> dsn = true;
                case "ENHANCEDSTATUSCODES" -> enhanced = true;
                case "SIZE" -> {
                    sizeAnnounced = true;
                    if (words.length > 1) {
                        try {
                            size = Math.max(0, Long.parseLong(words[1]));
                        } catch (NumberFormatException e) {
                            size = 0;
                        }
                    }
                }
                case "AUTH" -> {
                    for (int w = 1; w < words.length; w++) {
                        auth.add(words[w].toUpperCase(Locale.ROOT));
                    }
                }
                default -> {
                }
            }
        }
        return new Capabilities(true, pipelining, startTls, eightBit, utf8, dsn, enhanced, sizeAnnounced, size, auth);
    }
}
