/**
 * DNS for outbound delivery and mail authentication, over dnsjava: MX with preferences (random among equal ones),
 * the implicit MX of RFC 5321 §5.1, null MX (RFC 7505), A and AAAA per host in the configured order, TXT and TLSA,
 * CNAME chains, a clear line between an answer that says no (permanent) and one that could not be had (temporary),
 * and DNSSEC validation ({@link org.letterbox.dns.Dnssec}).
 */
package org.letterbox.dns;
