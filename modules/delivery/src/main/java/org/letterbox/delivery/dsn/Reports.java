package org.letterbox.delivery.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.letterbox.store.MailStore;
import org.letterbox.store.account.Route;
import org.letterbox.store.queue.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends reports to whoever sent the message: into the INBOX of a local sender, or, for a sender elsewhere (mail
 * forwarded by an alias), through the outbound queue with the null sender. The report and the queue changes it
 * comes with (the entries it reports on dropped, or marked as noticed) are one write unit. A message from the null
 * sender gets no report: only the queue changes are made.
 */
public final class Reports {

    private static final Logger LOGGER = LoggerFactory.getLogger(Reports.class);

    private final MailStore store;
    private final String reportingHost;
    private final Clock clock;

    public Reports(MailStore store, String reportingHost, Clock clock) {
        this.store = store;
        this.reportingHost = reportingHost;
        this.clock = clock;
    }

    /**
     * Reports on {@code recipients} of the message of {@code entry} (any of its entries: they share sender and
     * content), and applies {@code settlement} with it. No recipients, or the null sender: only the settlement.
     */
    public void send(OutboundQueue.Entry entry, List<ReportedRecipient> recipients, OutboundQueue.Settlement settlement) {
        if (recipients.isEmpty() || entry.sender().isEmpty()) {
            store.queue().settle(settlement);
            return;
        }
        try {
            DeliveryReport.Original original = new DeliveryReport.Original(entry.sender(), entry.dsn().envelopeId(),
                entry.created(), entry.dsn().returnContent().map("FULL"::equalsIgnoreCase).orElse(false), entry.size());
            byte[] report = DeliveryReport.write(reportingHost, entry.sender(), original, recipients, clock.instant(),
                () -> store.queue().content(entry).orElseThrow(() -> new IOException("the queued message is gone")));
            List<String> localUsers = store.accounts().route(entry.sender()).stream()
                .filter(Route.LocalUser.class::isInstance).map(route -> ((Route.LocalUser) route).user()).toList();
            List<OutboundQueue.Recipient> remote = localUsers.isEmpty()
                ? List.of(OutboundQueue.Recipient.of(entry.sender())) : List.of();
            store.delivery().deliver("", localUsers, remote, () -> new ByteArrayInputStream(report), report.length,
                settlement);
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("delivery: cannot deliver a {} report to {}: {}; the queue is settled without it",
                recipients.get(0).action(), org.letterbox.net.login.LogValue.escape(entry.sender()), e.toString());
            store.queue().settle(settlement);
        }
    }

    /** Whether a recipient's NOTIFY asks for reports of {@code kind} (SUCCESS, FAILURE, DELAY); without NOTIFY, FAILURE and DELAY. */
    public static boolean wants(Optional<String> notify, String kind) {
        if (notify.isEmpty()) {
            return !kind.equals("SUCCESS");
        }
        for (String word : notify.get().split(",")) {
            if (word.trim().equalsIgnoreCase(kind)) {
                return true;
            }
        }
        return false;
    }

}
