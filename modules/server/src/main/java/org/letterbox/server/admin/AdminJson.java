package org.letterbox.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper of the admin endpoint and its client, made at their first call: a new ObjectMapper costs about
 * a tenth of a second, which the server's start need not wait for.
 */
final class AdminJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }
}
