/** SPF (RFC 7208): whether the client may send for the MAIL FROM (or HELO) domain, with Apache James jSPF. */
package org.letterbox.mailauth.spf;
