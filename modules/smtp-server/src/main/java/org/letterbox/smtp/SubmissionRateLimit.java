package org.letterbox.smtp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.letterbox.net.login.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On submission, at most N messages and M recipients per user in any hour (a sliding window): past either, MAIL or
 * RCPT gets {@code 451 4.7.1}, so that a stolen password cannot turn the server into a spam cannon. A message counts
 * at MAIL, a recipient when it is accepted; memory is one timestamp per counted message or recipient in the last
 * hour, so at most N + M per user.
 */
final class SubmissionRateLimit {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.letterbox.smtp.transactions");
    private static final Duration WINDOW = Duration.ofHours(1);

    private final int maxMessages;
    private final int maxRecipients;
    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> messages = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Long>> recipients = new ConcurrentHashMap<>();

    SubmissionRateLimit(int maxMessages, int maxRecipients, Clock clock) {
        this.maxMessages = maxMessages;
        this.maxRecipients = maxRecipients;
        this.clock = clock;
    }

    /** The MAIL hook that counts messages; it goes after the sender checks. */
    MailHook messages() {
        return new MailHook() {
            @Override
            public HookResult doMail(SMTPSession session, MaybeSender sender) {
                return take(session, messages, maxMessages, "messages");
            }
        };
    }

    /** The RCPT hook that counts recipients; it goes after every check that may refuse one, before acceptance. */
    RcptHook recipients() {
        return new RcptHook() {
            @Override
            public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
                return take(session, recipients, maxRecipients, "recipients");
            }
        };
    }

    private HookResult take(SMTPSession session, Map<String, ArrayDeque<Long>> counts, int limit, String what) {
        if (session.getUsername() == null) {
            // not logged in: the sender policy refuses it anyway
            return HookResult.DECLINED;
        }
        String user = session.getUsername().asString().toLowerCase(Locale.ROOT);
        long now = clock.millis();
        ArrayDeque<Long> times = counts.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                LOGGER.warn("smtp rate limit: user={} sent {} {} in the last hour (limit {})", LogValue.escape(user),
                    times.size(), what, limit);
                return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR,
                    "4.7.1 You have sent " + limit + " " + what + " in the last hour, the most allowed; try again later");
            }
            times.addLast(now);
        }
        return HookResult.DECLINED;
    }
}
