package org.letterbox.delivery.tls;

import java.util.Optional;

/** Where MTA-STS policies come from (fetched over HTTPS and cached, see {@link MtaStsFetcher}). */
public interface MtaSts {

    /** The domain's current policy, from the cache or fetched now; empty when it publishes none (or it cannot be had). */
    Optional<MtaStsPolicy> policy(String domain);
}
