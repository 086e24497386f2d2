package org.letterbox.mailauth.dkim;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * A domain's signing pair: an RSA-2048 key and an Ed25519 key, under selectors named after the day they were made
 * ({@code lb20261205r}, {@code lb20261205e}), so that a new pair can be published beside the one in use and switched
 * to later without a clash.
 */
public final class KeyPairs {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private KeyPairs() {
    }

    /** A new pair for {@code domain}, its selectors not among {@code taken}. */
    public static List<DkimKey> generate(String domain, LocalDate day, Set<String> taken) {
        String base = "lb" + DAY.format(day);
        String suffix = "";
        for (int n = 2; taken.contains(base + suffix + "r") || taken.contains(base + suffix + "e"); n++) {
            suffix = "n" + n;
        }
        return List.of(DkimKey.generate(domain, base + suffix + "r", DkimAlgorithm.RSA_SHA256),
            DkimKey.generate(domain, base + suffix + "e", DkimAlgorithm.ED25519_SHA256));
    }
}
