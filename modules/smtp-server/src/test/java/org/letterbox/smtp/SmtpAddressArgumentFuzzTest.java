package org.letterbox.smtp;

import org.junit.jupiter.api.Tag;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The MAIL and RCPT argument path, fed arbitrary text: our UTF-8 rewrite, the SMTPUTF8 parameter check, James's
 * address parser on what we hand it, and the address turned back to text for routing and logs. Only the parser's
 * own refusal ({@link AddressException}) may come out; anything else would reach the client as a broken session.
 * Every build replays the seeds in {@code SmtpAddressArgumentFuzzTestInputs}; {@code -Pfuzz} fuzzes.
 */
@Tag("slow")
class SmtpAddressArgumentFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void everyArgumentIsClassifiedWithoutAThrow(String argument) {
        Utf8Addresses.Rewrite rewrite = Utf8Addresses.rewrite(argument);
        if (rewrite.malformed()) {
            return;
        }
        if (rewrite.utf8()) {
            Utf8Addresses.hasSmtpUtf8Parameter(argument);
        }
        String text = rewrite.argument();
        if (text == null) {
            return; // MAIL or RCPT without an argument: James answers 501 itself
        }
        int open = text.indexOf('<');
        int close = open < 0 ? -1 : text.indexOf('>', open);
        if (close < 0) {
            return;
        }
        try {
            MailAddress address = new MailAddress(text.substring(open + 1, close));
            Utf8Addresses.text(address);
        } catch (AddressException refused) {
            // James's parser said no: the client gets 553, the session goes on
        }
    }
}
