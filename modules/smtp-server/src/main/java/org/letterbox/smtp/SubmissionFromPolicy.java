package org.letterbox.smtp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.Accounts;

/**
 * End of DATA on submission: every address in the header {@code From:} must be one the authenticated user owns (their
 * address or an alias that resolves to them), as the envelope sender must; otherwise the message is refused with
 * {@code 550 5.7.1} and nothing is stored or sent. A message without a {@code From:} is left as it is. A user the
 * administrator allowed any header From ({@code letterbox user any-from ADDRESS on}) is not checked.
 */
final class SubmissionFromPolicy implements MessageHook {

    /** How much of the message is read looking for the end of its header. */
    private static final int MAX_HEADER_BYTES = 256 * 1024;

    private final Accounts accounts;
    private final MailStore store;

    SubmissionFromPolicy(Accounts accounts, MailStore store) {
        this.accounts = accounts;
        this.store = store;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope envelope) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        String user = session.getUsername().asString();
        try {
            if (store.call(() -> accounts.anyFromAllowed(user))) {
                return HookResult.DECLINED;
            }
        } catch (Exception e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary lookup failure, try again later");
        }
        List<String> from;
        try (InputStream in = ((SpoolingEnvelope) envelope).open()) {
            from = fromAddresses(header(in));
        } catch (AddressException e) {
            return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_UNAVAILABLE, "5.6.0 The From: header cannot be read");
        } catch (IOException e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary failure, try again later");
        }
        try {
            for (String address : from) {
                if (!store.call(() -> accounts.ownsAddress(user, address))) {
                    return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.MAILBOX_UNAVAILABLE,
                        "5.7.1 From: <" + address + "> is not an address of " + user);
                }
            }
        } catch (Exception e) {
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary lookup failure, try again later");
        }
        return HookResult.DECLINED;
    }

    /** The message's header section, unfolded into one string per field. */
    private static List<String> header(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        int lineLength = 0;
        for (int b; bytes.size() < MAX_HEADER_BYTES && (b = in.read()) >= 0; previous = b) {
            bytes.write(b);
            if (b == '\n') {
                if (lineLength == 0 || (lineLength == 1 && previous == '\r')) {
                    break;
                }
                lineLength = 0;
            } else {
                lineLength++;
            }
        }
        List<String> fields = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    private static List<String> fromAddresses(List<String> fields) throws AddressException {
        List<String> addresses = new ArrayList<>();
        for (String field : fields) {
            if (field.length() > 5 && field.substring(0, 5).toLowerCase(Locale.ROOT).equals("from:")) {
                for (InternetAddress address : InternetAddress.parseHeader(field.substring(5), false)) {
                    addresses.add(address.getAddress());
                }
            }
        }
        return addresses;
    }
}
