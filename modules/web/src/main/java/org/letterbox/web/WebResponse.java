package org.letterbox.web;

import java.nio.charset.StandardCharsets;

/** What the router answers: a status, a body and its type, and a Location for redirects. */
record WebResponse(int status, String contentType, byte[] body, String location, String allow) {

    static WebResponse ok(String contentType, String body) {
        return new WebResponse(200, contentType, body.getBytes(StandardCharsets.UTF_8), null, null);
    }

    static WebResponse status(int status, String text) {
        return new WebResponse(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8), null, null);
    }

    static WebResponse notFound() {
        return status(404, "Not found");
    }

    static WebResponse redirect(String location) {
        return new WebResponse(301, "text/plain; charset=utf-8", ("Moved to " + location + "\n").getBytes(StandardCharsets.UTF_8),
            location, null);
    }

    static WebResponse methodNotAllowed(String allow) {
        return new WebResponse(405, "text/plain; charset=utf-8", "Method not allowed\n".getBytes(StandardCharsets.UTF_8), null, allow);
    }
}
