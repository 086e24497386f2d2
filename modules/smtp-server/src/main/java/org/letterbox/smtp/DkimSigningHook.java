package org.letterbox.smtp;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.letterbox.mailauth.dkim.DkimKey;
import org.letterbox.mailauth.dkim.DkimSigner;
import org.letterbox.mailauth.dkim.HeaderBlock;
import org.letterbox.mailauth.dkim.SigningKeys;
import org.letterbox.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End of DATA on submission: signs the message with the DKIM keys of its From domain (RSA and Ed25519), or of the
 * envelope sender's domain when the From domain is not ours, before it is stored and queued, so that local and
 * remote recipients get the same signed bytes. A domain without keys is not signed; a signing failure refuses the
 * message for now ({@code 451}) rather than send it unsigned.
 */
final class DkimSigningHook implements MessageHook {

    private static final Logger LOGGER = LoggerFactory.getLogger(DkimSigningHook.class);

    private final SigningKeys keys;
    private final MailStore store;
    private final Clock clock;

    DkimSigningHook(SigningKeys keys, MailStore store, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope envelope) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        SpoolingEnvelope spooled = (SpoolingEnvelope) envelope;
        try {
            Optional<String> fromDomain;
            try (InputStream in = spooled.open()) {
                fromDomain = HeaderBlock.read(in).fromDomain();
            }
            String senderDomain = envelope.getMaybeSender().asOptional()
                .map(address -> Utf8Addresses.text(address)).map(text -> text.substring(text.lastIndexOf('@') + 1))
                .orElse("");
            List<DkimKey> signing = store.call(() -> {
                List<DkimKey> forFrom = fromDomain.map(keys::forDomain).orElse(List.of());
                return forFrom.isEmpty() && !senderDomain.isEmpty() ? keys.forDomain(senderDomain) : forFrom;
            });
            if (signing.isEmpty()) {
                return HookResult.DECLINED;
            }
            List<String> signatures;
            try (InputStream in = spooled.open()) {
                signatures = DkimSigner.sign(in, signing, clock.instant());
            }
            MessageEdits edits = MessageEdits.of(session);
            signatures.forEach(edits::add);
            return HookResult.DECLINED;
        } catch (Exception e) {
            LOGGER.warn("dkim: cannot sign a message of {}: {}", session.getUsername().asString(), e.toString());
            return SmtpReplies.reply(HookReturnCode.denySoft(), SmtpReplies.LOCAL_ERROR,
                "4.3.0 The message could not be signed, try again later");
        }
    }

}
