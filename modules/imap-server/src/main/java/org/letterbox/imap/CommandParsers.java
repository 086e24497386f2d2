package org.letterbox.imap;

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
import org.apache.james.imap.message.request.GetQuotaRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;

/**
 * James's command parsers, with ours in place of those that refuse what the RFCs allow. Each replacement is a class
 * of its own, registered here by command name.
 */
final class CommandParsers implements ImapCommandParserFactory {

    private final ImapCommandParserFactory james;
    private final Map<String, ImapCommandParser> replaced;

    private CommandParsers(StatusResponseFactory responses) {
        this.james = new ImapParserFactory(responses);
        this.replaced = Map.of(ImapConstants.GETQUOTA_COMMAND.getName(), new GetQuotaParser(responses));
    }

    /** The request decoder our listeners use. */
    static ImapDecoder decoder() {
        StatusResponseFactory responses = new UnpooledStatusResponseFactory();
        return new DefaultImapDecoder(responses, new CommandParsers(responses));
    }

    @Override
    public ImapCommandParser getParser(String commandName) {
        ImapCommandParser ours = replaced.get(commandName.toUpperCase(java.util.Locale.ROOT));
        return ours != null ? ours : james.getParser(commandName);
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
