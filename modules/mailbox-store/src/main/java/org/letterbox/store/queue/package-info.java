/**
 * The outbound queue: one entry per remote recipient of a stored message, from the delivery that queued it until
 * it is sent, bounced or dropped. Entries are added inside the delivery's own write unit, so a message is queued
 * exactly when it is acknowledged.
 */
package org.letterbox.store.queue;
