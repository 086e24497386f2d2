package org.letterbox.server.admin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;

/** {@link Admin} over a running server's {@link AdminEndpoint}. */
public final class RemoteAdmin implements Admin {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    private RemoteAdmin(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * The running server of {@code dataDirectory}, if its endpoint file exists and the server answers there.
     *
     * @throws AdminException when the endpoint answers but refuses the token
     */
    public static Optional<RemoteAdmin> find(Path dataDirectory) {
        Path endpointFile = dataDirectory.resolve(AdminEndpoint.ENDPOINT_FILE);
        Path tokenFile = dataDirectory.resolve(AdminEndpoint.TOKEN_FILE);
        if (!Files.exists(endpointFile)) {
            return Optional.empty();
        }
        try {
            String endpoint = Files.readString(endpointFile).trim();
            String token = Files.readString(tokenFile).trim();
            RemoteAdmin admin = new RemoteAdmin(URI.create("http://" + endpoint + "/v1/"), token);
            admin.checkItIsOurServer();
            admin.send(new AdminRequest.Ping());
            return Optional.of(admin);
        } catch (AdminException e) {
            if (e.getCause() instanceof ConnectException) {
                return Optional.empty(); // a stale file from a server that is gone
            }
            throw e;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AdminException("cannot read " + e.getFile() + ": permission denied (run as the server's user)");
        } catch (IOException e) {
            throw new AdminException("cannot read the admin endpoint files: " + e.getMessage(), e);
        }
    }

    /**
     * Before the token leaves this process: the listener must prove it holds the token (an HMAC of a fresh nonce),
     * so that whatever now listens on a stale endpoint's port learns nothing.
     */
    private void checkItIsOurServer() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String nonce = java.util.HexFormat.of().formatHex(random);
        String proof = send("hello", args("nonce", nonce), AdminJson.MAPPER.constructType(String.class), false);
        if (proof == null || !java.security.MessageDigest.isEqual(
                proof.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                AdminEndpoint.proof(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII), nonce)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new AdminException("the listener at " + base + " is not this server (it cannot prove it holds the "
                + "token); the admin token was not sent");
        }
    }

    private <T> T send(String operation, Map<String, Object> arguments, JavaType type, boolean withToken) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(operation))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AdminJson.MAPPER.writeValueAsBytes(arguments)));
            if (withToken) {
                builder.header("Authorization", "Bearer " + token);
            }
            HttpRequest request = builder.build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = AdminJson.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new AdminException(answer.path("error").asText("the server answered " + response.statusCode()));
            }
            return type == null ? null : AdminJson.MAPPER.convertValue(answer.get("result"), type);
        } catch (ConnectException e) {
            throw new AdminException("cannot reach the server's admin endpoint at " + base + " (is it running?)", e);
        } catch (IOException e) {
            throw new AdminException("admin request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted", e);
        }
    }

    private static Map<String, Object> args(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Sends {@code request} to the server, which runs it as {@link LocalAdmin} would. */
    @Override
    public <R> R send(AdminRequest<R> request) {
        Map<String, Object> arguments = AdminJson.MAPPER.convertValue(request, new TypeReference<Map<String, Object>>() { });
        return send(AdminRequest.name(request.getClass()), arguments, request.resultType(AdminJson.MAPPER.getTypeFactory()), true);
    }

    @Override
    public void close() {
        // nothing held between requests
    }
}
