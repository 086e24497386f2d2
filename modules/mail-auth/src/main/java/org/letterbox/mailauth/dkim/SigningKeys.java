package org.letterbox.mailauth.dkim;

import java.util.List;

/** Where the keys to sign a domain's mail with come from (the store, through the server's wiring). */
@FunctionalInterface
public interface SigningKeys {

    /** The active keys of {@code domain}; empty when it has none (its mail is not signed). May block on the store. */
    List<DkimKey> forDomain(String domain);

    /** No keys for any domain. */
    SigningKeys NONE = domain -> List.of();
}
