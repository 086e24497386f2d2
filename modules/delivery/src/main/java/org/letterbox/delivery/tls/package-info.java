/**
 * Which TLS each destination gets: opportunistic STARTTLS by default (plain text only when no policy asks for TLS),
 * a policy from the configuration per domain ({@code none}, {@code require-tls}, {@code verify}), MTA-STS (RFC 8461)
 * and DANE (RFC 7672); and the TLS contexts that check certificates the way the policy says.
 */
package org.letterbox.delivery.tls;
