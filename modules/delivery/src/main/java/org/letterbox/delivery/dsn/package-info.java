/**
 * Delivery status notifications (RFC 3464): bounces, delay notices and relay notices as {@code multipart/report}
 * messages, and where they go (the local sender's INBOX, or the outbound queue with the null sender). Never a DSN
 * to the null sender, so never one about a DSN; a recipient's NOTIFY (RFC 3461) says which ones it wants.
 */
package org.letterbox.delivery.dsn;
