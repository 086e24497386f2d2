package org.letterbox.web;

/**
 * The web listener's limits and where it listens. Each request is answered and the connection closed: clients
 * that set themselves up ask for one or two documents.
 *
 * @param address address the HTTPS listener binds
 * @param httpsPort TLS port (443 in production); 0 picks a free one
 * @param httpAddress address the HTTP listener binds
 * @param httpPort plain-text port for ACME's http-01 challenges and redirects to HTTPS (80 in production); -1: none
 * @param mtaStsMode {@code enforce} or {@code testing}, the mode of every local domain's MTA-STS policy
 * @param maxRequestBytes largest request body (an autodiscover POST); larger gets 413 unread
 * @param maxHeaderBytes largest request line plus headers; larger gets 431
 * @param requestTimeoutSeconds a connection that has not sent a whole request by then is closed
 * @param maxConnections most connections at once per listener
 * @param maxConnectionsPerIp most connections at once from one address, per listener
 * @param proxyProtocol load balancers whose PROXY header names the client
 */
public record WebSettings(String address, int httpsPort, String httpAddress, int httpPort, String mtaStsMode, int maxRequestBytes,
                          int maxHeaderBytes, int requestTimeoutSeconds, int maxConnections, int maxConnectionsPerIp,
                          org.letterbox.net.proxy.ProxyProtocol proxyProtocol) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 16_384;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8_192;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 20;
    public static final String DEFAULT_MTA_STS_MODE = "enforce";

    public WebSettings {
        new MtaStsPolicyFile(mtaStsMode, java.util.List.of("x"), 1);
        if (maxRequestBytes < 1024 || maxHeaderBytes < 1024 || requestTimeoutSeconds < 1 || maxConnections < 1
                || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("web limits too small: " + this);
        }
    }

    /** Every default, on {@code address} and the given ports. */
    public static WebSettings defaults(String address, int httpsPort, int httpPort) {
        return new WebSettings(address, httpsPort, address, httpPort, DEFAULT_MTA_STS_MODE, DEFAULT_MAX_REQUEST_BYTES,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP,
            org.letterbox.net.proxy.ProxyProtocol.off());
    }
}
