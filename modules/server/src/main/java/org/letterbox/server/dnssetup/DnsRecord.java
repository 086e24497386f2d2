package org.letterbox.server.dnssetup;

/**
 * One resource record as a zone file writes it.
 *
 * @param name the owner name, absolute, with its trailing dot
 * @param type MX, A, AAAA, TXT, SRV, CNAME, CAA or PTR
 * @param value the record data in zone-file form (TXT text already quoted and cut into 255-character strings)
 * @param comment what it is for, one line
 */
public record DnsRecord(String name, String type, String value, String comment) {

    /** {@code name IN type value}, tab-separated as zone files are usually laid out. */
    public String zoneLine() {
        return name + "\t" + "IN" + "\t" + type + "\t" + value;
    }
}
