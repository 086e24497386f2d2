/**
 * The queue runner: claims what is due from the store's outbound queue, delivers each message's recipients of one
 * domain in one attempt, a bounded number at once overall and per destination (starting at one), and records each
 * recipient's result: dropped when delivered, bounced when failed or given up on, retried on the schedule
 * otherwise, with a delay notice once a message is late.
 */
package org.letterbox.delivery.queue;
