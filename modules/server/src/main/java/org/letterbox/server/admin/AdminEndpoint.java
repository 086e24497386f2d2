package org.letterbox.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.letterbox.store.account.AccountException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The running server's admin interface for {@code letterbox} (the CLI): HTTP with JSON on a loopback address.
 *
 * <p>Each call is {@code POST /v1/OPERATION} with a JSON object of arguments and
 * {@code Authorization: Bearer TOKEN}; the answer is {@code {"result": ...}} or, with status 400, 401 or 500,
 * {@code {"error": "one line"}}. The token, made anew at each start, is in {@code DATA/admin.token} (readable by its
 * owner only) and the
 * address in {@code DATA/admin.endpoint}, so whoever can read the data directory can administer the server.
 */
public final class AdminEndpoint implements AutoCloseable {

    /** Files in the data directory. */
    public static final String TOKEN_FILE = "admin.token";
    public static final String ENDPOINT_FILE = "admin.endpoint";

    private static final Logger LOGGER = LoggerFactory.getLogger(AdminEndpoint.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final Path endpointFile;

    private AdminEndpoint(HttpServer http, ExecutorService executor, Path endpointFile) {
        this.http = http;
        this.executor = executor;
        this.endpointFile = endpointFile;
    }

    /**
     * Listens on {@code 127.0.0.1:port} (0: any free port) and writes the token and endpoint files.
     *
     * @throws IOException when the port cannot be bound or the files cannot be written
     */
    public static AdminEndpoint start(Admin admin, Path dataDirectory, int port) throws IOException {
        // the JDK server's own bounds on a request and a response, in seconds, unless the operator chose others
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxReqHeaders", System.getProperty("sun.net.httpserver.maxReqHeaders", "64"));
        byte[] token = token(dataDirectory.resolve(TOKEN_FILE));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "letterbox-admin");
            thread.setDaemon(true);
            return thread;
        });
        http.setExecutor(executor);
        http.createContext("/v1/", exchange -> handle(exchange, admin, token));
        http.start();
        Path endpointFile = dataDirectory.resolve(ENDPOINT_FILE);
        InetSocketAddress bound = http.getAddress();
        Files.writeString(endpointFile, bound.getAddress().getHostAddress() + ":" + bound.getPort() + "\n");
        LOGGER.info("admin endpoint listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
        return new AdminEndpoint(http, executor, endpointFile);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Most bytes a request body may have. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** A new token in {@code file}: 32 random bytes, hex, readable by the owner only, replacing the last one. */
    static byte[] token(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        }
        String hex = HexFormat.of().formatHex(random);
        Files.writeString(temporary, hex + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return hex.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Proof that this endpoint holds the token, given without the token: HMAC-SHA256 of the client's nonce, keyed by
     * the token. The CLI asks for it before it sends the token, so a stranger that took over a stale endpoint's port
     * never sees the token.
     */
    static String proof(byte[] token, String nonce) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(token, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("letterbox-admin:" + nonce).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why a request is not even looked at, or null: it must name our loopback address and port as its Host, carry
     * no Origin (a browser's cross-site request always does), and declare a JSON body of bounded size.
     */
    private static String refusal(HttpExchange exchange) {
        InetSocketAddress local = exchange.getLocalAddress();
        String host = exchange.getRequestHeaders().getFirst("Host");
        String expected = local.getAddress().getHostAddress() + ":" + local.getPort();
        if (host == null || !(host.equals(expected) || host.equals("localhost:" + local.getPort()))) {
            return "bad Host";
        }
        if (exchange.getRequestHeaders().containsKey("Origin")) {
            return "cross-origin requests are refused";
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return "the body must be application/json";
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            if (length == null || Long.parseLong(length) > MAX_BODY_BYTES) {
                return "a Content-Length of at most " + MAX_BODY_BYTES + " is required";
            }
        } catch (NumberFormatException e) {
            return "bad Content-Length";
        }
        return null;
    }

    private static void handle(HttpExchange exchange, Admin admin, byte[] token) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String refused = refusal(exchange);
            if (refused != null) {
                reply(exchange, 403, Map.of("error", refused));
                return;
            }
            if (exchange.getRequestURI().getPath().equals("/v1/hello")) {
                JsonNode hello = AdminJson.MAPPER.readTree(body.readNBytes(MAX_BODY_BYTES));
                String nonce = hello == null ? "" : hello.path("nonce").asText("");
                if (!nonce.matches("[0-9a-f]{32,128}")) {
                    reply(exchange, 400, Map.of("error", "a hex nonce of 32 to 128 digits is required"));
                    return;
                }
                reply(exchange, 200, Map.of("result", proof(token, nonce)));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] presented = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring(7).trim().getBytes(StandardCharsets.US_ASCII) : new byte[0];
            if (!MessageDigest.isEqual(presented, token)) {
                reply(exchange, 401, Map.of("error", "bad or missing admin token"));
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, Map.of("error", "use POST"));
                return;
            }
            String operation = exchange.getRequestURI().getPath().substring("/v1/".length());
            JsonNode arguments = AdminJson.MAPPER.readTree(body.readNBytes(MAX_BODY_BYTES));
            try {
                Object result = admin.send(request(operation, arguments == null ? AdminJson.MAPPER.createObjectNode() : arguments));
                java.util.Map<String, Object> answer = new java.util.HashMap<>();
                answer.put("result", result);
                reply(exchange, 200, answer);
            } catch (AdminException | AccountException | IllegalArgumentException e) {
                reply(exchange, 400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
                LOGGER.warn("admin request {} failed", operation, e);
                reply(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
            }
        }
    }

    private static final Map<String, Class<?>> REQUESTS = AdminRequest.types();

    /** The request an operation name and its JSON arguments stand for, or an error naming what is wrong. */
    static AdminRequest<?> request(String operation, JsonNode arguments) {
        Class<?> type = REQUESTS.get(operation);
        if (type == null) {
            throw new AdminException("unknown admin operation: " + operation);
        }
        AdminRequest<?> request;
        try {
            request = (AdminRequest<?>) AdminJson.MAPPER.treeToValue(arguments, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new AdminException("bad arguments for " + operation + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        AdminRequest.missingArgument(request).ifPresent(name -> {
            throw new AdminException("missing argument: " + name);
        });
        return request;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = AdminJson.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering and removes the endpoint file (the token stays for the next start). */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            Files.deleteIfExists(endpointFile);
        } catch (IOException e) {
            LOGGER.warn("cannot remove {}: {}", endpointFile, e.toString());
        }
    }
}
