/**
 * Automatic certificates (ACME, RFC 8555) with acme4j: the account key, orders for the names this server answers
 * to, http-01 challenges answered by the web listener, and the certificate and key written where the listeners'
 * reloading key manager picks them up. Renewal comes before expiry, with retries; a failed renewal leaves the old
 * certificate in use.
 */
package org.letterbox.web.acme;
