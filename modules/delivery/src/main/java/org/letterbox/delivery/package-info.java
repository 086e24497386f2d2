/**
 * Outbound delivery: {@link org.letterbox.delivery.OutboundDelivery} empties the store's outbound queue, with its
 * settings in {@link org.letterbox.delivery.DeliverySettings}. The parts: {@code dns} (what DNS says), {@code client}
 * (our SMTP client), {@code tls} (each destination's TLS policy), {@code route} (one attempt to one domain),
 * {@code queue} (scheduling, retries, results) and {@code dsn} (bounces and notices).
 */
package org.letterbox.delivery;
