package org.letterbox.smtp;


import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPConfiguration;

/** James's view of one listener's settings. AUTH is announced only where it may be used. */
final class LetterboxSmtpConfiguration implements SMTPConfiguration {

    private final SmtpSettings settings;

    LetterboxSmtpConfiguration(SmtpSettings settings) {
        this.settings = settings;
    }

    @Override
    public String getHelloName() {
        return settings.hostname();
    }

    @Override
    public String getGreeting() {
        return settings.hostname() + " ESMTP Letterbox ready";
    }

    @Override
    public String getSoftwareName() {
        return "Letterbox";
    }

    @Override
    public long getMaxMessageSize() {
        // SIZE is enforced and advertised by our own MessageSizeLimit, not by James's int-based counter.
        return 0;
    }

    @Override
    public boolean isRelayingAllowed(String remoteIP) {
        return false;
    }

    @Override
    public boolean isAuthAnnounced(String remoteIP, boolean tlsStarted) {
        return authAllowed(settings, remoteIP, tlsStarted);
    }

    /** AUTH needs TLS, except on loopback when the settings allow it. */
    static boolean authAllowed(SmtpSettings settings, String remoteIP, boolean tlsStarted) {
        return org.letterbox.net.PlaintextLogin.allowed(settings.tlsMode(), tlsStarted, settings.plaintextLoginOnLoopback(),
            client(remoteIP));
    }

    /** The client's address from the numeric form James gives (a literal: never a name lookup). */
    private static java.net.SocketAddress client(String ip) {
        try {
            return new java.net.InetSocketAddress(InetAddress.getByName(ip), 0);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public boolean useHeloEhloEnforcement() {
        return true;
    }

    @Override
    public boolean useAddressBracketsEnforcement() {
        return true;
    }

    @Override
    public boolean isPlainAuthEnabled() {
        return true;
    }

    @Override
    public Optional<OidcSASLConfiguration> saslConfiguration() {
        return Optional.empty();
    }
}
