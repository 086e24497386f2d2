/**
 * DNS for outbound delivery, over dnsjava: MX with preferences (random among equal ones), the implicit MX of
 * RFC 5321 §5.1, null MX (RFC 7505), A and AAAA per host in the configured order, TXT and TLSA, CNAME chains, and a
 * clear line between an answer that says no (permanent) and one that could not be had (temporary).
 */
package org.letterbox.delivery.dns;
