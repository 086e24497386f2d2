package org.letterbox.web;

/**
 * Thunderbird's autoconfig document ({@code config-v1.1.xml}, the format of its ISPDB): every endpoint, implicit
 * TLS first, IMAP before POP3; the user name is the address ({@code %EMAILADDRESS%}) and the password is sent over
 * TLS as it is ({@code password-cleartext}).
 */
final class ThunderbirdAutoconfig {

    private ThunderbirdAutoconfig() {
    }

    static String document(ClientSettings settings, String domain) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\n");
        String name = Xml.escape(domain);
        xml.append("  <emailProvider id=\"").append(name).append("\">\n")
            .append("    <domain>").append(name).append("</domain>\n")
            .append("    <displayName>").append(name).append("</displayName>\n")
            .append("    <displayShortName>").append(name).append("</displayShortName>\n");
        for (ClientEndpoint.Protocol protocol : new ClientEndpoint.Protocol[] {ClientEndpoint.Protocol.IMAP, ClientEndpoint.Protocol.POP3}) {
            for (ClientEndpoint endpoint : settings.of(protocol)) {
                server(xml, "incomingServer", endpoint, settings.hostname());
            }
        }
        for (ClientEndpoint endpoint : settings.of(ClientEndpoint.Protocol.SMTP)) {
            server(xml, "outgoingServer", endpoint, settings.hostname());
        }
        return xml.append("  </emailProvider>\n</clientConfig>\n").toString();
    }

    private static void server(StringBuilder xml, String element, ClientEndpoint endpoint, String hostname) {
        xml.append("    <").append(element).append(" type=\"").append(endpoint.protocol().lower()).append("\">\n")
            .append("      <hostname>").append(Xml.escape(hostname)).append("</hostname>\n")
            .append("      <port>").append(endpoint.port()).append("</port>\n")
            .append("      <socketType>").append(endpoint.security() == ClientEndpoint.Security.IMPLICIT_TLS ? "SSL" : "STARTTLS")
            .append("</socketType>\n")
            .append("      <username>%EMAILADDRESS%</username>\n")
            .append("      <authentication>password-cleartext</authentication>\n")
            .append("    </").append(element).append(">\n");
    }
}
