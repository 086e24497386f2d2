/**
 * What DNS must hold for a domain served here, and whether it does: the records to publish ({@link DnsPlanner}, a
 * zone snippet ready to paste), and the checks of the live DNS against them ({@link DnsChecker}), for
 * {@code letterbox dns records|check}, {@code letterbox setup} and the admin API.
 */
package org.letterbox.server.dnssetup;
