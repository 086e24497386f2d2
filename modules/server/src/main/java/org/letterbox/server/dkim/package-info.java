/** The DKIM keys of our domains: made when a domain is added, rotated by hand or on a schedule, kept in the store. */
package org.letterbox.server.dkim;
