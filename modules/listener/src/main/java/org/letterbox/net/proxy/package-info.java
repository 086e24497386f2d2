/**
 * HAProxy's PROXY protocol (versions 1 and 2) on the listeners: behind a TCP load balancer, the address of the real
 * client is read from the header the balancer sends first, and every listener's channel then reports that address as
 * its remote address, so per-IP limits, logs, the auth log line, SPF and Received headers see the client, not the
 * balancer. A header is accepted only from the configured balancer networks; from them it is required.
 */
package org.letterbox.net.proxy;
