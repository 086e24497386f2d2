/**
 * One delivery attempt to one destination domain: where to go (MX hosts, or a smarthost), which TLS each host
 * gets, trying hosts and addresses in order until one takes the transaction, and a result per recipient (delivered,
 * deferred, failed) with the hop that gave it.
 */
package org.letterbox.delivery.route;
