package org.letterbox.web;

import java.util.List;

/**
 * What clients are told: the host name they connect to and the endpoints offered, most preferred first (implicit
 * TLS before STARTTLS, RFC 8314). The user name is always the full address.
 */
public record ClientSettings(String hostname, List<ClientEndpoint> endpoints) {

    public ClientSettings {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoints of one protocol, in order of preference. */
    public List<ClientEndpoint> of(ClientEndpoint.Protocol protocol) {
        return endpoints.stream().filter(endpoint -> endpoint.protocol() == protocol).toList();
    }

    /** Where a client that takes one account reads mail: IMAP, else POP3, most preferred first. */
    public List<ClientEndpoint> incoming() {
        return of(ClientEndpoint.Protocol.IMAP).isEmpty() ? of(ClientEndpoint.Protocol.POP3) : of(ClientEndpoint.Protocol.IMAP);
    }
}
