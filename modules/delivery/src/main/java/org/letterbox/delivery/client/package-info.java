/**
 * Our SMTP client (RFC 5321), over blocking sockets on delivery threads: EHLO with the configured name (HELO when
 * EHLO is refused), STARTTLS as the destination's TLS plan asks, AUTH for a smarthost, MAIL with SIZE, BODY=8BITMIME,
 * SMTPUTF8 and DSN parameters when the peer offers them, every recipient of one domain in one transaction
 * (pipelined when the peer offers PIPELINING), a result per recipient, and the timeouts of RFC 5321 §4.5.3.2.
 */
package org.letterbox.delivery.client;
