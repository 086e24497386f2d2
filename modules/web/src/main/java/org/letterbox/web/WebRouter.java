package org.letterbox.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which document a request gets. Only these paths exist; everything else is 404. The domain a document is for
 * comes from the address asked about or from the Host header, and must be a local domain: nothing is told about
 * domains this server does not serve.
 */
final class WebRouter {

    static final String AUTOCONFIG_PATH = "/mail/config-v1.1.xml";
    static final String WELL_KNOWN_AUTOCONFIG_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";
    static final String AUTODISCOVER_XML_PATH = "/autodiscover/autodiscover.xml";
    static final String AUTODISCOVER_JSON_PATH = "/autodiscover/autodiscover.json";
    static final String MTA_STS_PATH = "/.well-known/mta-sts.txt";
    static final String ACME_PATH = "/.well-known/acme-challenge/";
    static final String APPLE_PROFILE_PATH = "/apple/profile";
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"]{1,64}@([A-Za-z0-9.-]{1,253})");

    private final ClientSettings clients;
    private final LocalDomains domains;
    private final AcmeChallenges challenges;
    private final WebSettings settings;
    private final java.util.function.IntSupplier httpsPort;

    /** @param httpsPort the port HTTPS listens on, for redirects (it may have been picked at bind time) */
    WebRouter(ClientSettings clients, LocalDomains domains, AcmeChallenges challenges, WebSettings settings,
              java.util.function.IntSupplier httpsPort) {
        this.httpsPort = httpsPort;
        this.clients = clients;
        this.domains = domains;
        this.challenges = challenges;
        this.settings = settings;
    }

    /**
     * @param method upper-case HTTP method
     * @param path the decoded path, without the query
     * @param query the decoded query parameters
     * @param hostHeader the Host header, or null
     * @param secure whether it came over TLS
     */
    WebResponse route(String method, String path, Map<String, List<String>> query, String hostHeader, byte[] body, boolean secure) {
        Optional<String> host = host(hostHeader);
        if (path.startsWith(ACME_PATH)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            return challenges.answer(path.substring(ACME_PATH.length()))
                .map(answer -> WebResponse.ok("application/octet-stream", answer)).orElseGet(WebResponse::notFound);
        }
        if (!secure) {
            return redirectToHttps(host, path, query);
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (path.equals(AUTOCONFIG_PATH) || path.equals(WELL_KNOWN_AUTOCONFIG_PATH)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            Optional<String> domain = first(query, "emailaddress").flatMap(WebRouter::domainOf)
                .or(() -> host.map(name -> name.startsWith("autoconfig.") ? name.substring("autoconfig.".length()) : name));
            return domain.filter(domains::contains)
                .map(name -> WebResponse.ok("text/xml; charset=utf-8", ThunderbirdAutoconfig.document(clients, name)))
                .orElseGet(WebResponse::notFound);
        }
        if (lower.equals(AUTODISCOVER_XML_PATH)) {
            if (!method.equals("POST")) {
                return WebResponse.methodNotAllowed("POST");
            }
            Optional<String> address = OutlookAutodiscover.requestedAddress(body).filter(a -> domainOf(a).filter(domains::contains).isPresent());
            return address.map(a -> WebResponse.ok("text/xml; charset=utf-8", OutlookAutodiscover.response(clients, a)))
                .orElseGet(WebResponse::notFound);
        }
        if (lower.equals(AUTODISCOVER_JSON_PATH) || lower.startsWith(AUTODISCOVER_JSON_PATH + "/")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            String protocol = firstIgnoringCase(query, "protocol").orElse("");
            Optional<String> address = lower.startsWith(AUTODISCOVER_JSON_PATH + "/v1.0/")
                ? Optional.of(path.substring((AUTODISCOVER_JSON_PATH + "/v1.0/").length()))
                : firstIgnoringCase(query, "email");
            Optional<String> domain = address.flatMap(WebRouter::domainOf).filter(domains::contains);
            if (domain.isEmpty()) {
                return WebResponse.notFound();
            }
            if (!protocol.equalsIgnoreCase("AutodiscoverV1")) {
                return new WebResponse(400, "application/json", ("{\"ErrorCode\":\"ProtocolNotSupported\",\"ErrorMessage\":"
                    + "\"Only AutodiscoverV1 is offered\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null);
            }
            return WebResponse.ok("application/json", OutlookAutodiscover.jsonRedirect(domain.get()));
        }
        if (path.equals(MTA_STS_PATH)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            return host.filter(name -> name.startsWith("mta-sts.")).map(name -> name.substring("mta-sts.".length()))
                .filter(domains::contains)
                .map(name -> WebResponse.ok("text/plain", policy().text()))
                .orElseGet(WebResponse::notFound);
        }
        if (path.equals(APPLE_PROFILE_PATH)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            Optional<String> address = first(query, "emailaddress").filter(a -> domainOf(a).filter(domains::contains).isPresent());
            return address.flatMap(a -> AppleProfile.document(clients, a))
                .map(profile -> WebResponse.ok(AppleProfile.CONTENT_TYPE, profile))
                .orElseGet(WebResponse::notFound);
        }
        if (path.equals("/")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return WebResponse.methodNotAllowed("GET, HEAD");
            }
            return WebResponse.ok("text/html; charset=utf-8", SetupPage.html(clients));
        }
        return WebResponse.notFound();
    }

    /** The MTA-STS policy every local domain publishes: mail goes to this host. */
    MtaStsPolicyFile policy() {
        return new MtaStsPolicyFile(settings.mtaStsMode(), List.of(clients.hostname()), MtaStsPolicyFile.DEFAULT_MAX_AGE_SECONDS);
    }

    /** Plain HTTP serves ACME only; a name this server answers for is sent to HTTPS, anything else is 404. */
    private WebResponse redirectToHttps(Optional<String> host, String path, Map<String, List<String>> query) {
        if (host.isEmpty() || !servesName(host.get())) {
            return WebResponse.notFound();
        }
        StringBuilder location = new StringBuilder("https://").append(host.get());
        if (httpsPort.getAsInt() != 443) {
            location.append(':').append(httpsPort.getAsInt());
        }
        location.append(encode(path, query));
        return WebResponse.redirect(location.toString());
    }

    private static String encode(String path, Map<String, List<String>> query) {
        io.netty.handler.codec.http.QueryStringEncoder encoder = new io.netty.handler.codec.http.QueryStringEncoder(path);
        query.forEach((name, values) -> values.forEach(value -> encoder.addParam(name, value)));
        return encoder.toString();
    }

    private boolean servesName(String host) {
        if (host.equals(clients.hostname())) {
            return true;
        }
        for (String prefix : List.of("autoconfig.", "autodiscover.", "mta-sts.")) {
            if (host.startsWith(prefix) && domains.contains(host.substring(prefix.length()))) {
                return true;
            }
        }
        return domains.contains(host);
    }

    /** The Host header's name, lower case, without port; empty when absent or not a DNS name. */
    static Optional<String> host(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String name = header.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < 0) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.length() <= 253 && HOST.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    static Optional<String> domainOf(String address) {
        var matcher = ADDRESS.matcher(address.trim());
        return matcher.matches() ? Optional.of(matcher.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Optional<String> firstIgnoringCase(Map<String, List<String>> query, String name) {
        return query.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
            .map(entry -> entry.getValue().get(0)).findFirst();
    }
}
