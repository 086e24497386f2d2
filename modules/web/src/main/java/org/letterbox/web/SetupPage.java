package org.letterbox.web;

/** The one HTML page: how to set up a client by hand, and the Apple profile for an address typed in. */
final class SetupPage {

    private SetupPage() {
    }

    static String html(ClientSettings settings) {
        StringBuilder rows = new StringBuilder();
        for (ClientEndpoint endpoint : settings.endpoints()) {
            rows.append("<tr><td>").append(endpoint.protocol() == ClientEndpoint.Protocol.SMTP ? "SMTP (sending)" : endpoint.protocol().name())
                .append("</td><td>").append(Xml.escape(settings.hostname())).append("</td><td>").append(endpoint.port())
                .append("</td><td>").append(endpoint.security() == ClientEndpoint.Security.IMPLICIT_TLS ? "SSL/TLS" : "STARTTLS")
                .append("</td></tr>\n");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Mail set-up</title></head>\n"
            + "<body>\n<h1>Mail set-up</h1>\n"
            + "<p>Thunderbird and Outlook set themselves up: type your address and password.</p>\n"
            + "<h2>iPhone, iPad, Mac</h2>\n"
            + "<form method=\"get\" action=\"/apple/profile\"><label>Your address <input type=\"email\" name=\"emailaddress\" required></label>"
            + " <button type=\"submit\">Download the profile</button></form>\n"
            + "<p>Open the downloaded profile in Settings to install it; the device asks for your password.</p>\n"
            + "<h2>Any other client</h2>\n<p>User name: your full address. Password: yours.</p>\n"
            + "<table><tr><th>Protocol</th><th>Server</th><th>Port</th><th>Security</th></tr>\n" + rows + "</table>\n"
            + "</body></html>\n";
    }
}
