package org.letterbox.mailauth.dmarc;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import com.google.common.net.InternetDomainName;

/**
 * The organizational domain of a name (RFC 7489 §3.2): the public suffix plus one label, from the public suffix list
 * Guava carries. A name under a suffix the list does not know (such as {@code .test}) follows the list's default
 * rule, {@code *}: its last label is the suffix.
 */
public final class OrganizationalDomain {

    /** Names seen lately: most mail comes from a few domains, and the list's look-up parses the name each time. */
    private static final int REMEMBERED = 4096;
    private static final ConcurrentHashMap<String, String> SEEN = new ConcurrentHashMap<>();

    private OrganizationalDomain() {
    }

    public static String of(String domain) {
        String known = SEEN.get(domain);
        if (known != null) {
            return known;
        }
        String found = lookUp(domain);
        if (SEEN.size() >= REMEMBERED) {
            SEEN.clear();
        }
        SEEN.put(domain, found);
        return found;
    }

    private static String lookUp(String domain) {
        String name = domain.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        try {
            InternetDomainName parsed = InternetDomainName.from(name);
            if (parsed.isUnderPublicSuffix()) {
                return parsed.topPrivateDomain().toString();
            }
            if (parsed.isPublicSuffix()) {
                return name;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name Guava takes: the default rule below
        }
        String[] labels = name.split("\\.");
        return labels.length <= 2 ? name : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
