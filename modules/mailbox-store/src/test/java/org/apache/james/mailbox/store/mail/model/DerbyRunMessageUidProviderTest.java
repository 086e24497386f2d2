package org.apache.james.mailbox.store.mail.model;

/** Runs James's MessageUidProviderTest (package-private upstream) as part of our contract suites. */
class DerbyRunMessageUidProviderTest extends MessageUidProviderTest {
}
