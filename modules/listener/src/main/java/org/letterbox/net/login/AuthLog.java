package org.letterbox.net.login;

import java.net.InetAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication log, logger {@code org.letterbox.auth}, one line per event and the same for every protocol.
 * The client's IP comes first, right after the event, so that nothing a client sends can stand before it; every
 * client-supplied value is escaped ({@link LogValue}); a successful login names the canonical account. The lines:
 * <pre>
 * auth failed: ip=203.0.113.5 service=imap user=alice@example.test failures=3
 * auth refused: ip=203.0.113.5 service=smtp user=alice@example.test reason=blocked
 * login: ip=203.0.113.5 service=pop3 user=alice@example.test
 * </pre>
 * The fail2ban filter in {@code docs/operations.md} matches the first.
 */
public final class AuthLog {

    private static final Logger LOG = LoggerFactory.getLogger("org.letterbox.auth");

    private AuthLog() {
    }

    /** A wrong password, an unknown or malformed user name: what fail2ban counts. */
    public static void failed(String service, InetAddress ip, String claimedUser, int failures) {
        LOG.warn("auth failed: ip={} service={} user={} failures={}", ip.getHostAddress(), service,
            LogValue.escape(claimedUser), failures);
    }

    /** Not checked at all: the guard refused the attempt, or the session limit was reached. */
    public static void refused(String service, InetAddress ip, String user, String reason) {
        LOG.warn("auth refused: ip={} service={} user={} reason={}", ip.getHostAddress(), service,
            LogValue.escape(user), reason);
    }

    /** A successful login, under the account's canonical name. */
    public static void succeeded(String service, InetAddress ip, String account) {
        LOG.info("login: ip={} service={} user={}", ip.getHostAddress(), service, LogValue.escape(account));
    }
}
