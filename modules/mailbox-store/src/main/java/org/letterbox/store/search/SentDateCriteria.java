package org.letterbox.store.search;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.ConjunctionCriterion;
import org.apache.james.mailbox.model.SearchQuery.Criterion;
import org.apache.james.mailbox.model.SearchQuery.DateOperator;
import org.apache.james.mailbox.model.SearchQuery.HeaderCriterion;
import org.apache.james.mailbox.model.SearchQuery.UidRange;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

/**
 * {@code SENTBEFORE}, {@code SENTON} and {@code SENTSINCE} (RFC 3501 §6.4.4): the date of the {@code Date:} header,
 * "disregarding time and timezone", so the day written in the header in its own zone. James converts the header to
 * UTC first, so a message sent at 21:52 -0800 on 7 February was found on the 8th. A message without a readable
 * {@code Date:} is compared by its internal date, as Dovecot does, rather than matching no date at all.
 *
 * <p>Each such criterion is replaced by the UIDs of the messages it matches, found in one pass over the headers.
 */
final class SentDateCriteria {

    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

    private SentDateCriteria() {
    }

    static SearchQuery resolve(SearchQuery query, MailboxSessionMapperFactory mappers, MailboxSession session, Mailbox mailbox)
            throws MailboxException {
        if (!uses(query.getCriteria())) {
            return query;
        }
        List<Sent> sent = new ArrayList<>();
        MessageMapper mapper = mappers.getMessageMapper(session);
        Iterator<MailboxMessage> messages = mapper.findInMailbox(mailbox, MessageRange.all(), MessageMapper.FetchType.HEADERS, -1);
        while (messages.hasNext()) {
            MailboxMessage message = messages.next();
            sent.add(new Sent(message.getUid(), sentDay(message)));
        }
        SearchQuery.Builder rebuilt = SearchQuery.builder()
            .andCriteria(query.getCriteria().stream().map(c -> replace(c, sent)).toList())
            .addRecentMessageUids(query.getRecentMessageUids());
        if (!query.getSorts().isEmpty()) {
            rebuilt.sorts(query.getSorts());
        }
        return rebuilt.build();
    }

    private record Sent(MessageUid uid, LocalDate day) {
    }

    private static boolean isSentDate(Criterion criterion) {
        // IMAP's SENT* keys compare days; finer resolutions (JMAP, the mailbox API) keep James's instant comparison
        return criterion instanceof HeaderCriterion header && "Date".equalsIgnoreCase(header.getHeaderName())
            && header.getOperator() instanceof DateOperator date && date.getDateResultion() == SearchQuery.DateResolution.Day;
    }

    private static boolean uses(List<Criterion> criteria) {
        return criteria.stream().anyMatch(c -> isSentDate(c)
            || (c instanceof ConjunctionCriterion conjunction && uses(conjunction.getCriteria())));
    }

    private static Criterion replace(Criterion criterion, List<Sent> sent) {
        if (isSentDate(criterion)) {
            DateOperator operator = (DateOperator) ((HeaderCriterion) criterion).getOperator();
            LocalDate day = operator.getDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            Function<LocalDate, Boolean> matches = switch (operator.getType()) {
                case BEFORE -> d -> d.isBefore(day);
                case AFTER -> d -> d.isAfter(day);
                case ON -> d -> d.isEqual(day);
            };
            UidRange[] ranges = sent.stream().filter(s -> matches.apply(s.day()))
                .map(s -> new UidRange(s.uid())).toArray(UidRange[]::new);
            return SearchQuery.uid(ranges);
        }
        if (criterion instanceof ConjunctionCriterion conjunction) {
            List<Criterion> inner = conjunction.getCriteria().stream().map(c -> replace(c, sent)).toList();
            return switch (conjunction.getType()) {
                case AND -> SearchQuery.and(inner);
                case OR -> SearchQuery.or(inner);
                case NOR -> SearchQuery.not(inner);
            };
        }
        return criterion;
    }

    /** The day of the Date: header as written, or of the internal date (UTC) when there is none that parses. */
    static LocalDate sentDay(MailboxMessage message) {
        try (InputStream headers = message.getHeaderContent()) {
            String date = dateHeader(new String(headers.readAllBytes(), StandardCharsets.ISO_8859_1));
            if (date != null) {
                // comments such as "(PST)" and runs of spaces are not part of RFC 1123's grammar
                String cleaned = date.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").trim();
                return java.time.ZonedDateTime.parse(cleaned, RFC_5322).toLocalDate();
            }
        } catch (IOException | DateTimeParseException e) {
            // falls back to the internal date
        }
        return message.getInternalDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static String dateHeader(String headers) {
        String[] lines = headers.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].regionMatches(true, 0, "Date:", 0, 5)) {
                StringBuilder value = new StringBuilder(lines[i].substring(5));
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    value.append(' ').append(lines[++i].trim());
                }
                return value.toString().trim();
            }
        }
        return null;
    }
}
