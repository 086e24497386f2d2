package org.letterbox.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapCommandParser;
import org.apache.james.imap.decode.ImapCommandParserFactory;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.base.AbstractImapCommandParser;
import org.apache.james.imap.decode.main.DefaultImapDecoder;
import org.apache.james.imap.decode.parser.ImapParserFactory;
import org.apache.james.imap.decode.parser.ListCommandParser;
import org.apache.james.imap.message.request.ListRequest;
import org.apache.james.imap.message.request.GetQuotaRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;

/**
 * James's command parsers, with ours in place of those that refuse what the RFCs allow. Each replacement is a class
 * of its own, registered here by command name.
 */
final class CommandParsers implements ImapCommandParserFactory {

    private final ImapCommandParserFactory james;
    private final Map<String, ImapCommandParser> replaced;
    private final StatusResponseFactory responses;

    private CommandParsers(StatusResponseFactory responses) {
        this.james = new ImapParserFactory(responses);
        this.responses = responses;
        this.replaced = Map.of(
            ImapConstants.GETQUOTA_COMMAND.getName(), new GetQuotaParser(responses),
            ImapConstants.LIST_COMMAND.getName(), new ListParser(responses));
    }

    /** The request decoder our listeners use. */
    static ImapDecoder decoder() {
        StatusResponseFactory responses = new UnpooledStatusResponseFactory();
        return new DefaultImapDecoder(responses, new CommandParsers(responses));
    }

    @Override
    public ImapCommandParser getParser(String commandName) {
        ImapCommandParser ours = replaced.get(commandName.toUpperCase(java.util.Locale.ROOT));
        ImapCommandParser parser = ours != null ? ours : james.getParser(commandName);
        if (parser == null) {
            return new UnknownCommandBeforeLogin.Parser(responses);
        }
        return parser instanceof AbstractImapCommandParser known ? new ParserGuard(known, responses) : parser;
    }

    /**
     * What made James's parsers throw, and so close the client's connection, answered instead. A mailbox name that
     * is not valid modified UTF-7 ({@code &} not followed by a base64 run and {@code -}, or 8-bit bytes, which made
     * the decoder malfunction; found by {@code ImapDecoderFuzzTest}) threw an Error: it gets {@code NO [CANNOT]}. An IllegalArgumentException on a malformed argument (a user name whose domain James cannot
     * parse; found by {@code ImapDecoderFuzzTest}) gets {@code BAD}.
     */
    record ParserGuard(AbstractImapCommandParser parser, StatusResponseFactory responses) implements ImapCommandParser {
        @Override
        public ImapMessage parse(ImapRequestLineReader request, Tag tag, ImapSession session) {
            try {
                return parser.parse(request, tag, session);
            } catch (IllegalArgumentException e) {
                // (only this one: the reader signals a literal still to come with a RuntimeException of its own)
                return responses.taggedBad(tag, parser.getCommand(),
                    new org.apache.james.imap.api.display.HumanReadableText("org.letterbox.imap.badargument",
                        "Invalid arguments."));
            } catch (Error e) {
                // the modified UTF-7 decoder's failures: a coding error, or its own malfunction on 8-bit bytes
                if (!(e.getCause() instanceof java.nio.charset.CharacterCodingException)
                    && !(e instanceof java.nio.charset.CoderMalfunctionError)) {
                    throw e;
                }
                return responses.taggedNo(tag, parser.getCommand(),
                    new org.apache.james.imap.api.display.HumanReadableText("org.letterbox.imap.badname",
                        "Mailbox name is not valid modified UTF-7"), StoreBoundImapProcessor.namedCode("CANNOT"));
            }
        }
    }

    /** {@code LIST} that also takes a parenthesised list of patterns (RFC 5258 §3). */
    static final class ListParser extends ListCommandParser {
        /** The patterns of the command being decoded on this thread, when it gave a list. */
        private static final ThreadLocal<List<String>> PATTERNS = new ThreadLocal<>();

        ListParser(StatusResponseFactory responses) {
            super(responses);
        }

        @Override
        protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session)
                throws DecodingException {
            PATTERNS.remove();
            try {
                ImapMessage parsed = super.decode(request, tag, useUids, session);
                List<String> patterns = PATTERNS.get();
                return patterns != null && patterns.size() > 1 && parsed instanceof ListRequest list
                    ? new MultiPatternListRequest(list, patterns) : parsed;
            } finally {
                PATTERNS.remove();
            }
        }

        @Override
        public String listMailbox(ImapRequestLineReader request) throws DecodingException {
            if (request.nextWordChar() != '(') {
                return super.listMailbox(request);
            }
            request.consume();
            List<String> patterns = new ArrayList<>();
            while (request.nextWordChar() != ')') {
                patterns.add(request.nextChar() == '"' || request.nextChar() == '{'
                    ? super.listMailbox(request) : atomInList(request));
            }
            request.consume();
            if (patterns.isEmpty()) {
                throw new DecodingException(org.apache.james.imap.api.display.HumanReadableText.ILLEGAL_ARGUMENTS,
                    "LIST with an empty pattern list");
            }
            PATTERNS.set(patterns);
            return patterns.get(0);
        }

        /** An unquoted pattern inside the list ends at a space or the closing parenthesis, which James would keep. */
        private static String atomInList(ImapRequestLineReader request) throws DecodingException {
            StringBuilder pattern = new StringBuilder();
            char next;
            while ((next = request.nextChar()) != ' ' && next != ')' && next != '\r' && next != '\n') {
                if (next == '(' || next == '{' || next == '"' || next < ' ' || next == 0x7f) {
                    throw new DecodingException(org.apache.james.imap.api.display.HumanReadableText.ILLEGAL_ARGUMENTS,
                        "invalid character in a LIST pattern");
                }
                pattern.append(next);
                request.consume();
            }
            return org.apache.james.imap.api.display.ModifiedUtf7.decodeModifiedUTF7(pattern.toString());
        }
    }

    /**
     * {@code GETQUOTA quota-root}: the root is an astring (RFC 9208 §4.2), so the quoted form clients send for
     * {@code "#private&alice@example.test"} (James's parser takes only an atom, and answers BAD).
     */
    static final class GetQuotaParser extends AbstractImapCommandParser {
        GetQuotaParser(StatusResponseFactory responses) {
            super(ImapConstants.GETQUOTA_COMMAND, responses);
        }

        @Override
        protected ImapMessage decode(ImapRequestLineReader request, Tag tag, ImapSession session) throws DecodingException {
            String quotaRoot = request.astring();
            request.eol();
            return new GetQuotaRequest(tag, quotaRoot);
        }
    }
}
