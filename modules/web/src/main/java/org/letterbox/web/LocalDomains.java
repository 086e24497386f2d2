package org.letterbox.web;

/** Whether a domain is one this server receives mail for (asked off the I/O threads; it may read the store). */
@FunctionalInterface
public interface LocalDomains {
    boolean contains(String domain);
}
