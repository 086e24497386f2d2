package org.letterbox.delivery.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's MTA-STS policy (RFC 8461 §3.2), as parsed from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}.
 *
 * @param id the id of the {@code _mta-sts} TXT record it was fetched for
 * @param mode enforce, testing or none
 * @param mx the MX host patterns a host must match ({@code mail.example.com}, {@code *.example.net})
 * @param maxAge how long the policy may be kept
 */
public record MtaStsPolicy(String id, Mode mode, List<String> mx, Duration maxAge) {

    /** What a sender does with the policy. */
    public enum Mode {
        ENFORCE, TESTING, NONE
    }

    /** The longest max_age RFC 8461 allows (one year). */
    static final long MAX_AGE_LIMIT = 31_557_600;

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** True when the policy lets mail go to {@code host}. */
    public boolean allows(String host) {
        return mx.stream().anyMatch(pattern -> HostNames.matches(pattern, host));
    }

    /** Parses the policy text; empty when it is not a valid version 1 policy. */
    public static Optional<MtaStsPolicy> parse(String id, String text) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> {
                    try {
                        mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
                case "max_age" -> {
                    try {
                        maxAge = Math.min(MAX_AGE_LIMIT, Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
                case "mx" -> mx.add(value);
                default -> {
                    // unknown keys are ignored (RFC 8461 §3.2)
                }
            }
        }
        if (!"STSv1".equals(version) || mode == null || maxAge == null || maxAge < 0
            || (mode != Mode.NONE && mx.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new MtaStsPolicy(id, mode, mx, Duration.ofSeconds(maxAge)));
    }
}
