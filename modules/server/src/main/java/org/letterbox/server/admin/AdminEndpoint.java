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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The running server's admin interface for {@code letterbox} (the CLI): HTTP with JSON on a loopback address.
 *
 * <p>Each call is {@code POST /v1/OPERATION} with a JSON object of arguments and
 * {@code Authorization: Bearer TOKEN}; the answer is {@code {"result": ...}} or, with status 400, 401 or 500,
 * {@code {"error": "one line"}}. The token is in {@code DATA/admin.token} (readable by its owner only) and the
 * address in {@code DATA/admin.endpoint}, so whoever can read the data directory can administer the server.
 */
public final class AdminEndpoint implements AutoCloseable {

    /** Files in the data directory. */
    public static final String TOKEN_FILE = "admin.token";
    public static final String ENDPOINT_FILE = "admin.endpoint";

    private static final Logger LOGGER = LoggerFactory.getLogger(AdminEndpoint.class);
    static final ObjectMapper JSON = new ObjectMapper();

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

    /** The token in {@code file}, made (32 random bytes, hex, owner-only) if it does not exist yet. */
    static byte[] token(Path file) throws IOException {
        if (!Files.exists(file)) {
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
            Files.writeString(temporary, HexFormat.of().formatHex(random) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, file);
        }
        return Files.readString(file).trim().getBytes(StandardCharsets.US_ASCII);
    }

    private static void handle(HttpExchange exchange, Admin admin, byte[] token) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
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
            JsonNode arguments = JSON.readTree(body.readAllBytes());
            try {
                Object result = AdminOperations.dispatch(admin, operation, arguments == null ? JSON.createObjectNode() : arguments);
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

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
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
