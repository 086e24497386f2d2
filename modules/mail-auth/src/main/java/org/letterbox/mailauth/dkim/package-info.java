/**
 * DKIM (RFC 6376): keys (RSA-2048 and Ed25519, RFC 8463) and their DNS records, signing with relaxed/relaxed
 * canonicalization and over-signed From and Subject, and verification of every signature a message carries. Our
 * own implementation of both algorithms over one canonicalization, so that what we sign and what we check agree.
 */
package org.letterbox.mailauth.dkim;
