/**
 * DMARC (RFC 7489): the policy record of the From domain (or of its organizational domain, from the public suffix
 * list), alignment of SPF and DKIM results with the From domain, and the disposition: none, quarantine or reject,
 * sampled by {@code pct}.
 */
package org.letterbox.mailauth.dmarc;
