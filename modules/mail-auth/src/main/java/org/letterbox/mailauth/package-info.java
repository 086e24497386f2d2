/**
 * Mail authentication: DKIM signing and verification (RFC 6376, RFC 8463), SPF (RFC 7208), DMARC (RFC 7489) and
 * the Authentication-Results header (RFC 8601). No network listener and no store: DNS comes in through a lookup
 * the caller gives, keys as values.
 */
package org.letterbox.mailauth;
