/**
 * ARC (RFC 8617): validating the chain of ARC sets that intermediaries (mailing lists, forwarders) add, so that the
 * Authentication-Results we write can say whether the authentication they saw reached us intact.
 */
package org.letterbox.mailauth.arc;
