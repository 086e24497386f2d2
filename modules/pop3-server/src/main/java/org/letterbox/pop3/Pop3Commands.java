package org.letterbox.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.apache.james.core.Username;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.pop3.POP3Response;
import org.apache.james.protocols.pop3.POP3Session;
import org.apache.james.protocols.pop3.core.AbstractPassCmdHandler;
import org.apache.james.protocols.pop3.mailbox.Mailbox;
import org.letterbox.net.login.SaslPlain;

/** Our POP3 commands around James's: CAPA, PASS over the store, AUTH PLAIN (RFC 5034) and clean-up on disconnect. */
final class Pop3Commands {

    private static final ProtocolSession.AttachmentKey<Pop3Login.Outcome> OUTCOME =
        ProtocolSession.AttachmentKey.of("letterbox.loginOutcome", Pop3Login.Outcome.class);

    private Pop3Commands() {
    }

    static Response error(String code, String text) {
        return new POP3Response(POP3Response.ERR_RESPONSE, "[" + code + "] " + text);
    }

    /** A failed login; the connection's last allowed one also ends the session. */
    static Response failed(Pop3Login.Failure failure) {
        POP3Response response = new POP3Response(POP3Response.ERR_RESPONSE,
            failure.last() ? "[AUTH] Authentication failed, too many failures: closing" : "[AUTH] Authentication failed");
        response.setEndSession(failure.last());
        return response;
    }

    /** RFC 3206: SYS/TEMP, a temporary refusal; the password was not checked. */
    static Response guarded() {
        POP3Response response = new POP3Response(POP3Response.ERR_RESPONSE, "[SYS/TEMP] Too many failed logins, try again later");
        response.setEndSession(true);
        return response;
    }

    /** CAPA that is right in every state: STLS only before TLS, USER and SASL only where a login is accepted. */
    static final class Capa implements CommandHandler<POP3Session> {
        private final Pop3Login login;

        Capa(Pop3Login login) {
            this.login = login;
        }

        @Override
        public Response onCommand(POP3Session session, Request request) {
            POP3Response response = new POP3Response(POP3Response.OK_RESPONSE, "Capability list follows");
            response.appendLine("TOP");
            response.appendLine("UIDL");
            response.appendLine("RESP-CODES");
            response.appendLine("AUTH-RESP-CODE");
            response.appendLine("PIPELINING");
            response.appendLine("EXPIRE NEVER");
            if (login.plaintextAllowed(session)) {
                response.appendLine("USER");
                response.appendLine("SASL PLAIN");
            }
            if (session.isStartTLSSupported() && !session.isTLSStarted()) {
                response.appendLine("STLS");
            }
            response.appendLine("IMPLEMENTATION Letterbox");
            response.appendLine(".");
            return response;
        }

        @Override
        public Collection<String> getImplCommands() {
            return List.of("CAPA");
        }
    }

    /** PASS: checks the password on the store's executor and opens the maildrop snapshot. */
    static final class Pass extends AbstractPassCmdHandler {
        private final Pop3Login login;

        Pass(MetricFactory metrics, Pop3Login login) {
            super(metrics);
            this.login = login;
        }

        @Override
        public Response onCommand(POP3Session session, Request request) {
            Response response = super.onCommand(session, request);
            Pop3Login.Outcome outcome = session.removeAttachment(OUTCOME, ProtocolSession.State.Connection).orElse(null);
            if (outcome instanceof Pop3Login.InUse) {
                return error("IN-USE", "Maildrop already in use by another session");
            }
            if (outcome instanceof Pop3Login.NeedsTls) {
                return error("AUTH", "Plain-text login needs TLS: use STLS first");
            }
            if (outcome instanceof Pop3Login.Failure failure) {
                return failed(failure);
            }
            if (outcome instanceof Pop3Login.Guarded) {
                return guarded();
            }
            if (outcome instanceof Pop3Login.Busy) {
                return error("SYS/TEMP", "Too many logins at once, try again later");
            }
            return response;
        }

        @Override
        protected Mailbox auth(POP3Session session, Username username, String password) {
            Pop3Login.Outcome outcome = login.login(session, username.asString(), password);
            session.setAttachment(OUTCOME, outcome, ProtocolSession.State.Connection);
            return outcome instanceof Pop3Login.Success success ? success.maildrop() : null;
        }
    }

    /** AUTH PLAIN, with or without the initial response (RFC 5034). */
    static final class AuthPlain implements CommandHandler<POP3Session> {
        private final Pop3Login login;

        AuthPlain(Pop3Login login) {
            this.login = login;
        }

        @Override
        public Response onCommand(POP3Session session, Request request) {
            if (session.getHandlerState() != POP3Session.AUTHENTICATION_READY) {
                return new POP3Response(POP3Response.ERR_RESPONSE, "AUTH not allowed now");
            }
            String argument = request.getArgument() == null ? "" : request.getArgument().trim();
            if (argument.isEmpty()) {
                POP3Response list = new POP3Response(POP3Response.OK_RESPONSE, "Supported mechanisms follow");
                list.appendLine("PLAIN");
                list.appendLine(".");
                return list;
            }
            String[] parts = argument.split(" ", 2);
            if (!parts[0].toUpperCase(Locale.US).equals("PLAIN")) {
                return new POP3Response(POP3Response.ERR_RESPONSE, "Unsupported mechanism " + parts[0]);
            }
            if (!login.plaintextAllowed(session)) {
                return error("AUTH", "Plain-text login needs TLS: use STLS first");
            }
            if (parts.length == 2) {
                return finish(session, parts[1]);
            }
            session.pushLineHandler(new LineHandler<POP3Session>() {
                @Override
                public Response onLine(POP3Session current, byte[] line) {
                    current.popLineHandler();
                    return finish(current, new String(line, StandardCharsets.US_ASCII).trim());
                }
            });
            return new POP3Response("+", "");
        }

        private Response finish(POP3Session session, String encoded) {
            if (encoded.equals("*")) {
                return new POP3Response(POP3Response.ERR_RESPONSE, "Authentication cancelled");
            }
            java.util.Optional<SaslPlain.Credentials> credentials = SaslPlain.decode(encoded);
            if (credentials.isEmpty()) {
                return error("AUTH", "Authentication failed");
            }
            Pop3Login.Outcome outcome = login.login(session, credentials.get().user(), credentials.get().password());
            if (outcome instanceof Pop3Login.Success success) {
                session.setUserMailbox(success.maildrop());
                session.setHandlerState(POP3Session.TRANSACTION);
                return new POP3Response(POP3Response.OK_RESPONSE, "Logged in");
            }
            if (outcome instanceof Pop3Login.InUse) {
                return error("IN-USE", "Maildrop already in use by another session");
            }
            if (outcome instanceof Pop3Login.NeedsTls) {
                return error("AUTH", "Plain-text login needs TLS: use STLS first");
            }
            if (outcome instanceof Pop3Login.Busy) {
                return error("SYS/TEMP", "Too many logins at once, try again later");
            }
            if (outcome instanceof Pop3Login.Guarded) {
                return guarded();
            }
            return outcome instanceof Pop3Login.Failure failure ? failed(failure) : error("AUTH", "Authentication failed");
        }

        @Override
        public Collection<String> getImplCommands() {
            return List.of("AUTH");
        }
    }

    /** A dropped connection deletes nothing (RFC 1939) but frees the maildrop for the next session. */
    static final class CloseOnDisconnect implements DisconnectHandler<POP3Session> {
        @Override
        public void onDisconnect(POP3Session session) {
            if (session == null) {
                return; // refused before a session was made (a per-IP cap)
            }
            Mailbox mailbox = session.getUserMailbox();
            if (mailbox != null) {
                try {
                    mailbox.close();
                } catch (java.io.IOException ignored) {
                    // nothing was written
                }
            }
        }
    }
}
