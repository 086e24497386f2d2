package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC rules real clients rely on, one transcript each: nested messages (RFC 3501 §6.4.5), ENVELOPE (§7.4.2), SEARCH
 * on sequence sets and their negation (§6.4.4, RFC 5182), new keywords (§7.2.6), MOVE (RFC 6851 §4.3), LIST with
 * several patterns (RFC 5258 §3) and mailbox names of any atom characters.
 */
@Tag("slow")
class ImapRfcBehavioursTest {

    static final String NESTED = "From: \"Real Name\" <alice@example.test>\r\nTo: undisclosed-recipients:;\r\n"
        + "Cc: Team: bob@example.test, \"Carol C\" <carol@example.test>;\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n"
        + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
        + "--outer\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
        + "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
        + "From: inner@example.test\r\nSubject: inner\r\nDate: Tue, 8 Feb 1994 10:00:00 +0000\r\n"
        + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
        + "--inner\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>inner</p>\r\n"
        + "--inner--\r\n\r\n--outer--\r\n";
    static final String EMBEDDED = NESTED.substring(NESTED.indexOf("From: inner"), NESTED.indexOf("\r\n--outer--"));
    static final String NO_DATE = "From: x@example.test\r\nSubject: nodate\r\n\r\nbody\r\n";

    private ImapFixture fixture;
    private ImapClient c;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        int port = fixture.start();
        for (String message : List.of(NESTED, NO_DATE, NESTED, NO_DATE)) {
            byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            fixture.store.delivery().deliver("", List.of("alice@example.test"), List.of(),
                () -> new ByteArrayInputStream(bytes), bytes.length);
        }
        c = ImapClient.connect(port);
        c.login("alice@example.test", "alice-pw");
        c.command("SELECT INBOX");
    }

    @AfterEach
    void tearDown() throws Exception {
        c.close();
        fixture.close();
    }

    private static String literal(String text) {
        return "{" + text.getBytes(StandardCharsets.US_ASCII).length + "}";
    }

    private static String joined(List<String> lines) {
        return String.join("\r\n", lines);
    }

    @Test
    void aMessageRfc822PartIsTheWholeEmbeddedMessageAndItsPartsAreAddressedInsideIt() throws Exception {
        assertThat(joined(c.command("FETCH 1 (BODY.PEEK[2])"))).isEqualTo(
            "* 1 FETCH (BODY[2] " + literal(EMBEDDED) + "\r\n" + EMBEDDED + ")\r\na3 OK FETCH completed.");
        assertThat(c.command("FETCH 1 (BODY.PEEK[2.1])")).containsExactly(
            "* 1 FETCH (BODY[2.1] {10}", "inner text)", "a4 OK FETCH completed.");
        String header = EMBEDDED.substring(0, EMBEDDED.indexOf("\r\n\r\n") + 4);
        assertThat(joined(c.command("FETCH 1 (BODY.PEEK[2.HEADER])"))).isEqualTo(
            "* 1 FETCH (BODY[2.HEADER] " + literal(header) + "\r\n" + header + ")\r\na5 OK FETCH completed.");
        String text = EMBEDDED.substring(header.length());
        assertThat(joined(c.command("FETCH 1 (BODY.PEEK[2.TEXT])"))).isEqualTo(
            "* 1 FETCH (BODY[2.TEXT] " + literal(text) + "\r\n" + text + ")\r\na6 OK FETCH completed.");
        assertThat(c.command("FETCH 1 (BODY.PEEK[2.MIME])")).containsExactly(
            "* 1 FETCH (BODY[2.MIME] {32}", "Content-Type: message/rfc822", "", ")", "a7 OK FETCH completed.");
    }

    @Test
    void bodystructureOfAMessageRfc822PartCarriesItsEnvelopeStructureAndLineCount() throws Exception {
        assertThat(c.command("FETCH 1 (BODYSTRUCTURE)")).containsExactly("* 1 FETCH (BODYSTRUCTURE ("
            + "(\"TEXT\" \"PLAIN\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 10 0 NIL NIL NIL NIL)"
            + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 247 (\"Tue, 8 Feb 1994 10:00:00 +0000\" \"inner\" "
            + "((NIL NIL \"inner\" \"example.test\")) ((NIL NIL \"inner\" \"example.test\")) ((NIL NIL \"inner\" \"example.test\")) "
            + "NIL NIL NIL NIL NIL) ((\"TEXT\" \"PLAIN\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 10 0 NIL NIL NIL NIL)"
            + "(\"TEXT\" \"HTML\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 12 0 NIL NIL NIL NIL) \"ALTERNATIVE\" "
            + "(\"boundary\" \"inner\") NIL NIL NIL) 14 NIL NIL NIL NIL) \"MIXED\" (\"boundary\" \"outer\") NIL NIL NIL))",
            "a3 OK FETCH completed.");
    }

    @Test
    void envelopeKeepsDisplayNamesGroupsAndTheEncodedSubjectAsSent() throws Exception {
        assertThat(c.command("FETCH 1 (ENVELOPE)")).containsExactly("* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800\" "
            + "\"=?UTF-8?Q?caf=C3=A9?=\" ((\"Real Name\" NIL \"alice\" \"example.test\")) ((\"Real Name\" NIL \"alice\" \"example.test\")) "
            + "((\"Real Name\" NIL \"alice\" \"example.test\")) ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) "
            + "((NIL NIL \"Team\" NIL)(NIL NIL \"bob\" \"example.test\")(\"Carol C\" NIL \"carol\" \"example.test\")(NIL NIL NIL NIL)) "
            + "NIL NIL NIL))", "a3 OK FETCH completed.");
    }

    @Test
    void searchesOnSequenceSetsAndTheirNegationReturnExactSets() throws Exception {
        assertThat(c.command("SEARCH NOT 2,4")).containsExactly("* SEARCH 1 3", "a3 OK SEARCH completed.");
        assertThat(c.command("SEARCH OR 1 UID 3")).containsExactly("* SEARCH 1 3", "a4 OK SEARCH completed.");
        assertThat(c.command("UID SEARCH NOT UID 1:2")).containsExactly("* SEARCH 3 4", "a5 OK SEARCH completed.");
        assertThat(c.command("SEARCH 1:*")).containsExactly("* SEARCH 1 2 3 4", "a6 OK SEARCH completed.");
        assertThat(c.command("SEARCH NOT 1:*")).containsExactly("* SEARCH", "a7 OK SEARCH completed.");
        assertThat(c.command("SEARCH RETURN (SAVE) 2:3")).containsExactly("a8 OK SEARCH completed.");
        assertThat(c.command("SEARCH NOT $")).containsExactly("* SEARCH 1 4", "a9 OK SEARCH completed.");
        assertThat(c.command("SEARCH $")).containsExactly("* SEARCH 2 3", "a10 OK SEARCH completed.");
    }

    @Test
    void sentDatesAreTheDayWrittenInTheDateHeaderAndMessagesWithoutOneUseTheirInternalDate() throws Exception {
        // message 1 and 3: "Mon, 7 Feb 1994 21:52:25 -0800" (8 February in UTC); 2 and 4 have no Date: header
        assertThat(c.command("SEARCH SENTON 7-Feb-1994")).containsExactly("* SEARCH 1 3", "a3 OK SEARCH completed.");
        assertThat(c.command("SEARCH SENTON 8-Feb-1994")).containsExactly("* SEARCH", "a4 OK SEARCH completed.");
        assertThat(c.command("SEARCH SENTBEFORE 8-Feb-1994")).containsExactly("* SEARCH 1 3", "a5 OK SEARCH completed.");
        assertThat(c.command("SEARCH SENTSINCE 1-Jan-2000")).containsExactly("* SEARCH 2 4", "a6 OK SEARCH completed.");
        assertThat(c.command("SEARCH NOT SENTON 7-Feb-1994")).containsExactly("* SEARCH 2 4", "a7 OK SEARCH completed.");
        assertThat(c.command("SEARCH OR SENTON 7-Feb-1994 2")).containsExactly("* SEARCH 1 2 3", "a8 OK SEARCH completed.");
        // BEFORE, ON and SINCE compare the internal date: all four arrived today
        assertThat(c.command("SEARCH BEFORE 1-Jan-2000")).containsExactly("* SEARCH", "a9 OK SEARCH completed.");
        assertThat(c.command("SEARCH SINCE 1-Jan-2000")).containsExactly("* SEARCH 1 2 3 4", "a10 OK SEARCH completed.");
    }

    @Test
    void minAndMaxWithAModseqCriterionReportTheModSequenceOfTheMessagesReturned() throws Exception {
        c.command("ENABLE CONDSTORE");
        c.command("STORE 2 +FLAGS.SILENT (\\Flagged)");
        List<String> modSeqs = c.command("FETCH 1:4 (MODSEQ)");
        long[] modSeq = new long[5];
        for (String line : modSeqs.subList(0, 4)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\* (\\d) FETCH \\(MODSEQ \\((\\d+)\\)\\)$").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            modSeq[Integer.parseInt(m.group(1))] = Long.parseLong(m.group(2));
        }
        assertThat(modSeq[2]).isGreaterThan(Math.max(Math.max(modSeq[1], modSeq[3]), modSeq[4]));
        assertThat(c.command("SEARCH RETURN (MIN) MODSEQ 1")).containsExactly(
            "* ESEARCH (TAG \"a6\") MIN 1 MODSEQ " + modSeq[1], "a6 OK SEARCH completed.");
        assertThat(c.command("SEARCH RETURN (MAX) MODSEQ 1")).containsExactly(
            "* ESEARCH (TAG \"a7\") MAX 4 MODSEQ " + modSeq[4], "a7 OK SEARCH completed.");
        assertThat(c.command("SEARCH RETURN (MIN MAX) MODSEQ 1")).containsExactly(
            "* ESEARCH (TAG \"a8\") MIN 1 MAX 4 MODSEQ " + Math.max(modSeq[1], modSeq[4]), "a8 OK SEARCH completed.");
        // with COUNT (or ALL) the highest mod-sequence of every match
        assertThat(c.command("SEARCH RETURN (MIN COUNT) MODSEQ 1")).containsExactly(
            "* ESEARCH (TAG \"a9\") MIN 1 COUNT 4 MODSEQ " + modSeq[2], "a9 OK SEARCH completed.");
    }

    @Test
    void aNewKeywordIsAnnouncedInFlagsAndPermanentFlagsBeforeAnyFetchShowsIt() throws Exception {
        assertThat(c.command("STORE 1 +FLAGS ($Forwarded)")).containsExactly(
            "* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen $Forwarded)",
            "* OK [PERMANENTFLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen $Forwarded \\*)] Limited",
            "* 1 FETCH (FLAGS (\\Recent $Forwarded))", "a3 OK STORE completed.");
    }

    @Test
    void moveAndUidMoveReportCopyUid() throws Exception {
        List<String> move = c.command("MOVE 2 Archive");
        assertThat(move).hasSize(2);
        assertThat(move.get(0)).isEqualTo("* 2 EXPUNGE");
        assertThat(move.get(1)).matches("a3 OK \\[COPYUID \\d+ 2 1] MOVE completed\\.");
        List<String> uidMove = c.command("UID MOVE 3 Archive");
        assertThat(uidMove.get(0)).isEqualTo("* 2 EXPUNGE");
        assertThat(uidMove.get(1)).matches("a4 OK \\[COPYUID \\d+ 3 2] MOVE completed\\.");
    }

    @Test
    void listTakesSeveralPatternsAndListsEachMailboxOnce() throws Exception {
        assertThat(c.command("LIST \"\" (INBOX Sent)")).containsExactly("* LIST (\\HasNoChildren) \".\" \"INBOX\"",
            "* LIST (\\HasNoChildren) \".\" \"Sent\"", "a3 OK LIST completed.");
        assertThat(c.command("LIST \"\" (\"Dr*\" D* INBOX)")).containsExactly("* LIST (\\HasNoChildren) \".\" \"Drafts\"",
            "* LIST (\\HasNoChildren) \".\" \"INBOX\"", "a4 OK LIST completed.");
        assertThat(c.command("LIST \"\" ()")).containsExactly("a5 BAD LIST failed. Illegal arguments.");
    }

    @Test
    void mailboxNamesOfAnyAtomCharactersGetOkOrNoAndTheSessionGoesOn() throws Exception {
        String atoms = "!#$&'+,-.0123456789:;<=>?@^_|}";
        assertThat(c.command("SELECT " + atoms)).containsExactly(
            "a3 NO [CANNOT] SELECT Mailbox name is not valid modified UTF-7");
        assertThat(c.command("EXAMINE \"" + atoms + "\"")).containsExactly(
            "a4 NO [CANNOT] EXAMINE Mailbox name is not valid modified UTF-7");
        assertThat(c.command("CREATE " + atoms)).containsExactly(
            "a5 NO [CANNOT] CREATE Mailbox name is not valid modified UTF-7");
        String withoutAmpersand = "!#$'+,-.0123456789:;<=>?@^_|}";
        assertThat(ImapClient.tagged(c.command("CREATE " + withoutAmpersand))).matches("a6 OK \\[MAILBOXID \\(\\d+\\)] CREATE completed\\.");
        assertThat(ImapClient.tagged(c.command("SELECT " + withoutAmpersand))).isEqualTo("a7 OK [READ-WRITE] SELECT completed.");
        assertThat(ImapClient.tagged(c.command("EXAMINE a}b"))).isEqualTo("a8 NO EXAMINE failed. No such mailbox.");
        assertThat(c.command("NOOP")).containsExactly("a9 OK NOOP completed.");
    }
}
