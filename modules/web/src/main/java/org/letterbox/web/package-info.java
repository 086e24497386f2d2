/**
 * The HTTP(S) listener: what a mail client needs to set itself up (Thunderbird's autoconfig, Outlook's
 * autodiscover, an Apple configuration profile), the MTA-STS policy of each local domain, and ACME's http-01
 * challenges. It is fed plain values ({@link org.letterbox.web.ClientSettings}, the local domains, the TLS context);
 * it reads neither the configuration file nor the store, and serves nothing else: no files, no directory listings.
 */
package org.letterbox.web;
