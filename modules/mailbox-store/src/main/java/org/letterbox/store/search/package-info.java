/** Searching a mailbox's messages: James's scanning index, with the corrections our IMAP SEARCH needs. */
package org.letterbox.store.search;
