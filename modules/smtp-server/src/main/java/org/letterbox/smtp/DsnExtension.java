package org.letterbox.smtp;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.letterbox.store.queue.OutboundQueue;

/**
 * The DSN extension (RFC 3461) on submission: EHLO says {@code DSN}; MAIL takes {@code RET=FULL|HDRS} and
 * {@code ENVID=}, RCPT takes {@code NOTIFY=NEVER|SUCCESS,FAILURE,DELAY} and {@code ORCPT=type;xtext}. They are kept
 * with the transaction and go into the outbound queue with each remote recipient, where outbound delivery honours
 * them (which reports to send, what to return) and passes them on to servers that offer DSN. A malformed value gets
 * {@code 501 5.5.4}. This hook records and declines, so the RCPT chain goes on to decide.
 */
final class DsnExtension implements EhloExtension, MailParametersHook, RcptHook {

    /** RET and ENVID of the transaction. */
    static final ProtocolSession.AttachmentKey<OutboundQueue.DsnRequest> MESSAGE_PARAMETERS =
        ProtocolSession.AttachmentKey.of("letterbox.dsn.message", OutboundQueue.DsnRequest.class);
    /** NOTIFY and ORCPT of each recipient, by the address as given. */
    @SuppressWarnings("unchecked")
    static final ProtocolSession.AttachmentKey<Map<String, OutboundQueue.DsnRequest>> RECIPIENT_PARAMETERS =
        ProtocolSession.AttachmentKey.of("letterbox.dsn.recipients", (Class<Map<String, OutboundQueue.DsnRequest>>) (Class<?>) Map.class);

    static final int MAX_ENVID = 100;
    static final int MAX_ORCPT = 500;

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return List.of("DSN");
    }

    @Override
    public String[] getMailParamNames() {
        return new String[] {"RET", "ENVID"};
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String name, String value) {
        OutboundQueue.DsnRequest current = session.getAttachment(MESSAGE_PARAMETERS, ProtocolSession.State.Transaction)
            .orElse(OutboundQueue.DsnRequest.NONE);
        if (name.equalsIgnoreCase("RET")) {
            String ret = value.toUpperCase(Locale.ROOT);
            if (current.returnContent().isPresent() || !(ret.equals("FULL") || ret.equals("HDRS"))) {
                return malformed("RET must be FULL or HDRS, once");
            }
            current = new OutboundQueue.DsnRequest(Optional.empty(), Optional.empty(), current.envelopeId(), Optional.of(ret));
        } else {
            if (current.envelopeId().isPresent() || !xtext(value, MAX_ENVID)) {
                return malformed("ENVID must be xtext of at most " + MAX_ENVID + " characters, once");
            }
            current = new OutboundQueue.DsnRequest(Optional.empty(), Optional.empty(), Optional.of(value), current.returnContent());
        }
        session.setAttachment(MESSAGE_PARAMETERS, current, ProtocolSession.State.Transaction);
        return HookResult.DECLINED;
    }

    @Override
    public Set<String> supportedParameters() {
        return Set.of("NOTIFY", "ORCPT");
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        Optional<String> notify = Optional.empty();
        Optional<String> orcpt = Optional.empty();
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String name = parameter.getKey().toUpperCase(Locale.ROOT);
            if (name.equals("NOTIFY")) {
                notify = notify(parameter.getValue());
                if (notify.isEmpty()) {
                    return malformed("NOTIFY must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas");
                }
            } else if (name.equals("ORCPT")) {
                String value = parameter.getValue();
                int semicolon = value.indexOf(';');
                if (semicolon <= 0 || !xtext(value.substring(semicolon + 1), MAX_ORCPT)
                    || !value.substring(0, semicolon).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                    return malformed("ORCPT must be addr-type;xtext of at most " + MAX_ORCPT + " characters");
                }
                orcpt = Optional.of(value);
            }
        }
        if (notify.isPresent() || orcpt.isPresent()) {
            Map<String, OutboundQueue.DsnRequest> all = new HashMap<>(session
                .getAttachment(RECIPIENT_PARAMETERS, ProtocolSession.State.Transaction).orElse(Map.of()));
            all.put(Utf8Addresses.text(rcpt).toLowerCase(Locale.ROOT),
                new OutboundQueue.DsnRequest(notify, orcpt, Optional.empty(), Optional.empty()));
            session.setAttachment(RECIPIENT_PARAMETERS, all, ProtocolSession.State.Transaction);
        }
        return HookResult.DECLINED;
    }

    /** The DSN parameters of {@code recipient} in this transaction, with the message's RET and ENVID. */
    static OutboundQueue.DsnRequest of(SMTPSession session, String recipient) {
        OutboundQueue.DsnRequest message = session.getAttachment(MESSAGE_PARAMETERS, ProtocolSession.State.Transaction)
            .orElse(OutboundQueue.DsnRequest.NONE);
        OutboundQueue.DsnRequest own = session.getAttachment(RECIPIENT_PARAMETERS, ProtocolSession.State.Transaction)
            .map(all -> all.get(recipient.toLowerCase(Locale.ROOT))).orElse(OutboundQueue.DsnRequest.NONE);
        return new OutboundQueue.DsnRequest(own.notifyOn(), own.originalRecipient(), message.envelopeId(),
            message.returnContent());
    }

    /** NOTIFY normalized (upper case, each keyword once), or empty when it breaks RFC 3461 §4.1. */
    static Optional<String> notify(String value) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : value.toUpperCase(Locale.ROOT).split(",", -1)) {
            if (!Set.of("NEVER", "SUCCESS", "FAILURE", "DELAY").contains(word) || !words.add(word)) {
                return Optional.empty();
            }
        }
        if (words.contains("NEVER") && words.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(String.join(",", words));
    }

    /** RFC 3461 §4 xtext: printable ASCII without '+' and '=', or '+' and two upper-case hex digits. */
    static boolean xtext(String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !hex(value.charAt(i + 1)) || !hex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }

    private static HookResult malformed(String why) {
        return SmtpReplies.reply(HookReturnCode.deny(), SmtpReplies.PARAMETER_SYNTAX_ERROR, "5.5.4 " + why);
    }
}
