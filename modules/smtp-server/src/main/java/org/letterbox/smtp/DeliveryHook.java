package org.letterbox.smtp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.letterbox.net.login.LogValue;
import org.letterbox.store.MailStore;
import org.letterbox.store.account.Accounts;
import org.letterbox.store.account.Route;
import org.letterbox.store.delivery.MailDelivery;
import org.letterbox.store.queue.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End of DATA: the message goes into every local recipient's INBOX and the outbound queue in one durable unit on
 * the store's executor. Only then is 250 sent; if the store fails the reply is 451 4.3.0 and nothing is visible.
 */
final class DeliveryHook implements MessageHook {

    private static final Logger LOG = LoggerFactory.getLogger("org.letterbox.smtp.transactions");

    private final MailDelivery delivery;
    private final Accounts accounts;
    private final MailStore store;

    DeliveryHook(MailStore store) {
        this.delivery = store.delivery();
        this.accounts = store.accounts();
        this.store = store;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope envelope) {
        String ip = session.getRemoteAddress().getAddress().getHostAddress();
        String sender = envelope.getMaybeSender().asOptional().map(Utf8Addresses::text).orElse("");
        Set<String> localUsers = new LinkedHashSet<>();
        java.util.Map<String, OutboundQueue.Recipient> remote = new java.util.LinkedHashMap<>();
        for (MailAddress recipient : envelope.getRecipients()) {
            String address = Utf8Addresses.text(recipient);
            for (Route route : RecipientRoutes.of(session, address).orElse(Set.of())) {
                if (route instanceof Route.LocalUser user) {
                    localUsers.add(user.user());
                } else if (route instanceof Route.RemoteAddress out) {
                    remote.putIfAbsent(out.address(), new OutboundQueue.Recipient(out.address(), DsnExtension.of(session, address)));
                }
            }
        }
        try {
            SpoolingEnvelope spooled = (SpoolingEnvelope) envelope;
            MessageEdits edits = MessageEdits.existing(session);
            MessageEdits.Content content = edits.apply(spooled::open, envelope.getSize());
            MailDelivery.Result result = store.call(() -> {
                // a user removed since RCPT gets nothing, rather than a new INBOX
                List<String> stillThere = localUsers.stream().filter(accounts::userExists).toList();
                return delivery.deliver(sender, stillThere, edits.folder(), List.copyOf(remote.values()), content.stream(),
                    content.size(), OutboundQueue.Settlement.NONE);
            });
            LOG.info("smtp ip={} from=<{}> to={} size={} result=250 id={} local={} queued={}", ip, loggable(sender),
                loggable(envelope.getRecipients()), envelope.getSize(), result.messageId(), result.local().size(), result.queued());
            return SmtpReplies.reply(HookReturnCode.ok(), SmtpReplies.OK, "2.0.0 Ok: stored as " + result.messageId());
        } catch (Exception e) {
            if (cause(e, org.letterbox.store.jdbc.DiskSpace.Insufficient.class) != null) {
                LOG.warn("smtp ip={} from=<{}> to={} size={} result=452 error=insufficient-storage", ip, loggable(sender),
                    loggable(envelope.getRecipients()), envelope.getSize());
                return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.INSUFFICIENT_STORAGE, "4.3.1 Insufficient system storage, try again later");
            }
            if (cause(e, MailDelivery.OverQuota.class) instanceof MailDelivery.OverQuota full) {
                LOG.info("smtp ip={} from=<{}> to={} size={} result=552 full={}", ip, loggable(sender),
                    loggable(envelope.getRecipients()), envelope.getSize(), full.user());
                return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.EXCEEDED_STORAGE, "5.2.2 Mailbox full: " + full.user());
            }
            LOG.warn("smtp ip={} from=<{}> to={} size={} result=451 error={}", ip, loggable(sender),
                loggable(envelope.getRecipients()), envelope.getSize(), LogValue.escape(e.toString()));
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR, "4.3.0 Temporary storage failure, try again later");
        } finally {
            ((SpoolingEnvelope) envelope).dispose();
        }
    }

    private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** The sender as the client gave it, escaped for the log; the null sender stays empty. */
    private static String loggable(String sender) {
        return sender.isEmpty() ? "" : LogValue.escape(sender);
    }

    private static String loggable(java.util.Collection<MailAddress> recipients) {
        return recipients.stream().map(r -> LogValue.escape(Utf8Addresses.text(r)))
            .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
