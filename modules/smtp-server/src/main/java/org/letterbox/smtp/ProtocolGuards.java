package org.letterbox.smtp;

import java.util.Collection;
import java.util.List;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;

/** Session-level limits: at most N error replies per session, and one answer per over-long command line. */
final class ProtocolGuards {

    private ProtocolGuards() {
    }

    /** Counts 4xx/5xx replies; the reply that reaches the limit also closes the connection. */
    static final class ErrorLimit implements ProtocolHandlerResultHandler<Response, ProtocolSession> {
        private static final ProtocolSession.AttachmentKey<Integer> ERRORS = ProtocolSession.AttachmentKey.of("letterbox.errors", Integer.class);
        private final int maxErrors;

        ErrorLimit(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        @Override
        public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
            if (response == null || response.getRetCode() == null || response.getRetCode().isEmpty()) {
                return response;
            }
            char first = response.getRetCode().charAt(0);
            if (first != '4' && first != '5') {
                return response;
            }
            int errors = session.getAttachment(ERRORS, ProtocolSession.State.Connection).orElse(0) + 1;
            session.setAttachment(ERRORS, errors, ProtocolSession.State.Connection);
            if (errors < maxErrors) {
                return response;
            }
            SMTPResponse closing = new SMTPResponse("421", "4.7.0 Too many errors; closing connection");
            closing.setEndSession(true);
            return closing;
        }
    }

    /** The marker {@link CrlfLineFrameDecoder} substitutes for a command line that was too long. */
    static final class LineTooLong implements CommandHandler<SMTPSession> {
        private static final Response TOO_LONG = new SMTPResponse("500", "5.5.2 Line too long").immutable();

        @Override
        public Response onCommand(SMTPSession session, Request request) {
            return TOO_LONG;
        }

        @Override
        public Collection<String> getImplCommands() {
            return List.of("LINE-TOO-LONG");
        }
    }
}
