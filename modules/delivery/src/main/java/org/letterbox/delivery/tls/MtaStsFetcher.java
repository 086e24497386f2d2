package org.letterbox.delivery.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.IpPreference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS policies (RFC 8461) fetched and cached. A domain has a policy when its {@code _mta-sts} TXT record says
 * {@code v=STSv1; id=...}; the policy is then fetched from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}
 * over HTTPS with a WebPKI-valid certificate for that name, no redirects, a bounded size and time. A cached policy
 * is used while its max_age runs and its id is the one in DNS; a policy that cannot be fetched again leaves the
 * cached one in force until it expires (§5.1), so that an attacker who blocks the fetch gains nothing.
 */
public final class MtaStsFetcher implements MtaSts {

    private static final Logger LOGGER = LoggerFactory.getLogger(MtaStsFetcher.class);
    /** Largest policy body read (RFC 8461 §3.3 suggests 64 KB). */
    static final int MAX_POLICY_BYTES = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private record Cached(MtaStsPolicy policy, Instant expires) {
    }

    private final Dns dns;
    private final SSLContext webPki;
    private final int port;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** @param port the HTTPS port: 443, another only in tests */
    public MtaStsFetcher(Dns dns, SSLContext webPki, int port, Clock clock) {
        this.dns = dns;
        this.webPki = webPki;
        this.port = port;
        this.clock = clock;
    }

    @Override
    public Optional<MtaStsPolicy> policy(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && !now.isBefore(cached.expires())) {
            cache.remove(key, cached);
            cached = null;
        }
        Optional<String> id = recordId(key);
        if (id.isEmpty()) {
            // no record (or no answer): a cached policy still holds until it expires (RFC 8461 §5.1)
            return cached == null ? Optional.empty() : Optional.of(cached.policy());
        }
        if (cached != null && cached.policy().id().equals(id.get())) {
            return Optional.of(cached.policy());
        }
        try {
            String text = fetch("mta-sts." + key);
            Optional<MtaStsPolicy> fetched = MtaStsPolicy.parse(id.get(), text);
            if (fetched.isEmpty()) {
                LOGGER.warn("delivery: the MTA-STS policy of {} is not valid; {}", key,
                    cached == null ? "none is used" : "the cached one stays in force");
                return cached == null ? Optional.empty() : Optional.of(cached.policy());
            }
            cache.put(key, new Cached(fetched.get(), now.plus(fetched.get().maxAge())));
            return fetched;
        } catch (IOException e) {
            LOGGER.warn("delivery: cannot fetch the MTA-STS policy of {}: {}; {}", key, e.getMessage(),
                cached == null ? "none is used" : "the cached one stays in force");
            return cached == null ? Optional.empty() : Optional.of(cached.policy());
        }
    }

    /** The id of the domain's {@code _mta-sts} record, when it has exactly one valid STSv1 record. */
    private Optional<String> recordId(String domain) {
        DnsAnswer<String> txt = dns.txt("_mta-sts." + domain);
        if (!(txt instanceof DnsAnswer.Found<String> found)) {
            return Optional.empty();
        }
        List<String> records = found.values().stream().filter(value -> value.startsWith("v=STSv1")).toList();
        if (records.size() != 1) {
            return Optional.empty();
        }
        for (String field : records.get(0).split(";")) {
            String trimmed = field.trim();
            if (trimmed.startsWith("id=")) {
                String id = trimmed.substring(3).trim();
                if (!id.isEmpty() && id.length() <= 32 && id.chars().allMatch(Character::isLetterOrDigit)) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    /** GET of the policy over HTTPS, resolved through our own DNS, the certificate checked for {@code host}. */
    private String fetch(String host) throws IOException {
        DnsAnswer<InetAddress> addresses = dns.addresses(host, IpPreference.PREFER_IPV4);
        if (!(addresses instanceof DnsAnswer.Found<InetAddress> found)) {
            throw new IOException(host + " has no address");
        }
        IOException last = null;
        for (InetAddress address : found.values()) {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
                plain.setSoTimeout((int) TIMEOUT.toMillis());
                try (SSLSocket socket = (SSLSocket) webPki.getSocketFactory().createSocket(plain, host, port, true)) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host
                        + "\r\nUser-Agent: Letterbox\r\nAccept: text/plain\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return response(socket.getInputStream());
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last == null ? new IOException("no address of " + host + " answered") : last;
    }

    /** The body of a 200 text/plain response, or an exception saying why there is none. */
    static String response(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) > 0) {
            raw.write(buffer, 0, read);
            if (raw.size() > MAX_POLICY_BYTES + 16 * 1024) {
                throw new IOException("the policy response is larger than " + MAX_POLICY_BYTES + " bytes");
            }
        }
        byte[] bytes = raw.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            throw new IOException("not an HTTP response");
        }
        String[] head = text.substring(0, headerEnd).split("\r\n");
        String[] status = head[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response");
        }
        if (!status[1].equals("200")) {
            throw new IOException("HTTP status " + status[1] + " (redirects are not followed)");
        }
        boolean chunked = false;
        boolean textPlain = false;
        for (int i = 1; i < head.length; i++) {
            String line = head[i].toLowerCase(Locale.ROOT);
            if (line.startsWith("content-type:") && line.substring(13).trim().startsWith("text/plain")) {
                textPlain = true;
            }
            if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                chunked = true;
            }
        }
        if (!textPlain) {
            throw new IOException("the policy is not served as text/plain");
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, headerEnd + 4, bytes.length);
        if (chunked) {
            body = dechunk(body);
        }
        if (body.length > MAX_POLICY_BYTES) {
            throw new IOException("the policy is larger than " + MAX_POLICY_BYTES + " bytes");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(body, at);
            if (lineEnd < 0) {
                throw new IOException("a broken chunked body");
            }
            String sizeText = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw new IOException("a broken chunked body");
            }
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            if (at + size > body.length) {
                throw new IOException("a broken chunked body");
            }
            out.write(body, at, size);
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
