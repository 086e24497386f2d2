package org.letterbox.dns;

/**
 * One host that takes mail for a domain.
 *
 * @param name the host name, lower case, without the trailing dot
 * @param preference the MX preference (lower is tried first); 0 for an implicit MX
 * @param implicit true when the domain has no MX record and its own address is used (RFC 5321 §5.1)
 */
public record MxHost(String name, int preference, boolean implicit) {
}
