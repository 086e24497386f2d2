package org.letterbox.web;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * An Apple configuration profile ({@code .mobileconfig}, payload {@code com.apple.mail.managed}) for one address:
 * the most preferred IMAP (else POP3) and SMTP endpoints, with the address as user name. It holds no password: the
 * device asks for it. Its identifiers derive from the address, so installing it again replaces the old one.
 */
final class AppleProfile {

    static final String CONTENT_TYPE = "application/x-apple-aspen-config";

    private AppleProfile() {
    }

    static Optional<String> document(ClientSettings settings, String address) {
        var incoming = settings.incoming();
        var outgoing = settings.of(ClientEndpoint.Protocol.SMTP);
        if (incoming.isEmpty() || outgoing.isEmpty()) {
            return Optional.empty();
        }
        ClientEndpoint in = incoming.get(0);
        ClientEndpoint out = outgoing.get(0);
        String a = Xml.escape(address);
        String host = Xml.escape(settings.hostname());
        String reversed = reverse(settings.hostname());
        StringBuilder plist = new StringBuilder()
            .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
            .append("<plist version=\"1.0\">\n<dict>\n")
            .append("  <key>PayloadContent</key>\n  <array>\n    <dict>\n");
        entry(plist, "EmailAccountDescription", string(a));
        entry(plist, "EmailAccountType", string(in.protocol() == ClientEndpoint.Protocol.IMAP ? "EmailTypeIMAP" : "EmailTypePOP"));
        entry(plist, "EmailAddress", string(a));
        entry(plist, "IncomingMailServerAuthentication", string("EmailAuthPassword"));
        entry(plist, "IncomingMailServerHostName", string(host));
        entry(plist, "IncomingMailServerPortNumber", "<integer>" + in.port() + "</integer>");
        entry(plist, "IncomingMailServerUseSSL", "<true/>");
        entry(plist, "IncomingMailServerUsername", string(a));
        entry(plist, "OutgoingMailServerAuthentication", string("EmailAuthPassword"));
        entry(plist, "OutgoingMailServerHostName", string(host));
        entry(plist, "OutgoingMailServerPortNumber", "<integer>" + out.port() + "</integer>");
        entry(plist, "OutgoingMailServerUseSSL", "<true/>");
        entry(plist, "OutgoingMailServerUsername", string(a));
        entry(plist, "OutgoingPasswordSameAsIncomingPassword", "<true/>");
        entry(plist, "PayloadDescription", string("Mail account " + a));
        entry(plist, "PayloadDisplayName", string(a));
        entry(plist, "PayloadIdentifier", string(Xml.escape(reversed + ".mail.account." + address)));
        entry(plist, "PayloadType", string("com.apple.mail.managed"));
        entry(plist, "PayloadUUID", string(uuid("account:" + address)));
        entry(plist, "PayloadVersion", "<integer>1</integer>");
        plist.append("    </dict>\n  </array>\n");
        plist.append("  <key>PayloadDisplayName</key>\n  <string>Mail for ").append(a).append("</string>\n")
            .append("  <key>PayloadIdentifier</key>\n  <string>").append(Xml.escape(reversed + ".mail." + address)).append("</string>\n")
            .append("  <key>PayloadRemovalDisallowed</key>\n  <false/>\n")
            .append("  <key>PayloadType</key>\n  <string>Configuration</string>\n")
            .append("  <key>PayloadUUID</key>\n  <string>").append(uuid("profile:" + address)).append("</string>\n")
            .append("  <key>PayloadVersion</key>\n  <integer>1</integer>\n")
            .append("</dict>\n</plist>\n");
        return Optional.of(plist.toString());
    }

    private static void entry(StringBuilder plist, String key, String value) {
        plist.append("      <key>").append(key).append("</key>\n      ").append(value).append('\n');
    }

    private static String string(String escaped) {
        return "<string>" + escaped + "</string>";
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code mail.example.com} as {@code com.example.mail}, the reverse-DNS form profile identifiers use. */
    private static String reverse(String hostname) {
        String[] labels = hostname.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            out.append(out.length() == 0 ? "" : ".").append(labels[i]);
        }
        return out.toString();
    }
}
