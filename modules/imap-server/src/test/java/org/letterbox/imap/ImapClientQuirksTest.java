package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.model.QuotaRoot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replies that real clients (Thunderbird, Apple Mail, mbsync) read literally. */
@Tag("slow")
class ImapClientQuirksTest {

    private ImapFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void idIsAnsweredWithNil() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            assertThat(c.command("ID (\"name\" \"Thunderbird\" \"version\" \"153.0\")"))
                .containsExactly("* ID NIL", "a1 OK ID completed.");
            assertThat(c.command("ID NIL")).containsExactly("* ID NIL", "a2 OK ID completed.");
        }
    }

    @Test
    void xlistIsNotAdvertisedButSpecialUseIs() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            String caps = c.command("CAPABILITY").get(0);
            assertThat(caps.split(" ")).contains("SPECIAL-USE").doesNotContain("XLIST");
            assertThat(c.command("LIST \"\" Sent RETURN (SPECIAL-USE)")).containsExactly("* LIST (\\HasNoChildren \\Sent) \".\" \"Sent\"",
                "a3 OK LIST completed.");
        }
    }

    @Test
    void aMailboxWithoutLimitsIsUnderNoQuotaRoot() throws Exception {
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT \"INBOX\"", "a2 OK GETQUOTAROOT completed.");
        }
    }

    @Test
    void getQuotaRootNamesTheRootAndItsUsageAndGetQuotaAcceptsThatNameQuoted() throws Exception {
        fixture.store.maxQuotaManager().setMaxStorage(
            QuotaRoot.quotaRoot("#private&alice@example.test", Username.of("alice@example.test").getDomainPart()),
            QuotaSizeLimit.size(10 * 1024 * 1024));
        try (ImapClient c = ImapClient.connect(port)) {
            c.login("alice@example.test", "alice-pw");
            assertThat(c.command("GETQUOTAROOT INBOX")).containsExactly(
                "* QUOTAROOT \"INBOX\" #private&alice@example.test",
                "* QUOTA #private&alice@example.test (STORAGE 0 10240)",
                "a2 OK GETQUOTAROOT completed.");
            assertThat(c.command("GETQUOTA \"#private&alice@example.test\"")).containsExactly(
                "* QUOTA #private&alice@example.test (STORAGE 0 10240)",
                "a3 OK GETQUOTA completed.");
            assertThat(c.command("GETQUOTA #private&alice@example.test")).containsExactly(
                "* QUOTA #private&alice@example.test (STORAGE 0 10240)",
                "a4 OK GETQUOTA completed.");
        }
    }
}
