package org.letterbox.smtp;

import java.util.List;

import org.apache.james.core.MaybeSender;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataCmdHandler;

/** DATA with an envelope that spools to disk, and that is cleaned up if the client goes away mid-message. */
final class SpoolingDataCmdHandler extends DataCmdHandler implements DisconnectHandler<SMTPSession> {

    private final int threshold;

    SpoolingDataCmdHandler(MetricFactory metricFactory, int threshold) {
        super(metricFactory);
        this.threshold = threshold;
    }

    @Override
    protected MailEnvelope createEnvelope(MaybeSender sender, List<MailAddress> recipients) {
        return new SpoolingEnvelope(sender, recipients, threshold);
    }

    @Override
    public void onDisconnect(SMTPSession session) {
        if (session == null) {
            // a connection refused before James made its session (a connection limit) has no envelope
            return;
        }
        session.getAttachment(MAILENV, ProtocolSession.State.Transaction)
            .filter(SpoolingEnvelope.class::isInstance)
            .map(SpoolingEnvelope.class::cast)
            .ifPresent(SpoolingEnvelope::dispose);
    }
}
