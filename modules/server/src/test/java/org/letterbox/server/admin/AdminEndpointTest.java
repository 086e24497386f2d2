package org.letterbox.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;

/** The admin endpoint over a real store: token checks, errors as one line, and the client that uses it. */
class AdminEndpointTest {

    @TempDir
    Path dir;
    private MailStore store;
    private AdminEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        store = MailStore.open(StoreConfig.defaults(dir).withPasswordIterations(1000));
        endpoint = AdminEndpoint.start(new LocalAdmin(store, List.of("smtp.mx 127.0.0.1:2525 tls=starttls"), false, org.letterbox.server.config.ServerConfig.defaults()), dir, 0);
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
        store.close();
    }

    private int post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/domains"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theTokenFileIsOwnerOnlyAndRequestsWithoutItAreRefused() throws Exception {
        Path tokenFile = dir.resolve(AdminEndpoint.TOKEN_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        String token = Files.readString(tokenFile).trim();
        assertThat(token).hasSize(64);
        assertThat(post(null, "{}")).isEqualTo(401);
        assertThat(post("0".repeat(64), "{}")).isEqualTo(401);
        assertThat(post(token, "{}")).isEqualTo(200);
    }

    @Test
    void theClientFindsTheServerAndErrorsComeBackAsOneLine() {
        RemoteAdmin admin = RemoteAdmin.find(dir).orElseThrow();
        admin.send(new AdminRequest.AddDomain("example.test"));
        admin.send(new AdminRequest.AddUser("you@example.test", "pw"));
        assertThat(admin.send(new AdminRequest.Users())).containsExactly("you@example.test");
        assertThat(admin.send(new AdminRequest.StatusOf()).listeners()).containsExactly("smtp.mx 127.0.0.1:2525 tls=starttls");
        assertThatThrownBy(() -> admin.send(new AdminRequest.AddUser("you@example.test", "pw")))
            .isInstanceOf(AdminException.class).hasMessage("user you@example.test already exists");
        assertThatThrownBy(() -> admin.send(new AdminRequest.QuotaOf("nobody@example.test")))
            .isInstanceOf(AdminException.class).hasMessage("no such user: nobody@example.test");
    }

    @Test
    void closingRemovesTheEndpointFileSoTheClientNoLongerFindsIt() {
        endpoint.close();
        assertThat(Files.exists(dir.resolve(AdminEndpoint.ENDPOINT_FILE))).isFalse();
        assertThat(RemoteAdmin.find(dir)).isEmpty();
    }

    /** One request written by hand, so that Host, Origin and Content-Type are exactly what a test says; the status. */
    private int rawPost(String host, String origin, String contentType, String token) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", endpoint.port())) {
            String body = "{}";
            StringBuilder request = new StringBuilder("POST /v1/domains HTTP/1.1\r\nHost: " + host + "\r\n");
            if (origin != null) {
                request.append("Origin: ").append(origin).append("\r\n");
            }
            if (contentType != null) {
                request.append("Content-Type: ").append(contentType).append("\r\n");
            }
            request.append("Authorization: Bearer ").append(token).append("\r\n")
                .append("Content-Length: ").append(body.length()).append("\r\nConnection: close\r\n\r\n").append(body);
            socket.getOutputStream().write(request.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aWebPageCannotDriveTheEndpointForeignHostOriginOrFormBodiesAreRefusedEvenWithTheToken() throws Exception {
        String token = Files.readString(dir.resolve(AdminEndpoint.TOKEN_FILE)).trim();
        String self = "127.0.0.1:" + endpoint.port();
        assertThat(rawPost(self, null, "application/json", token)).isEqualTo(200);
        assertThat(rawPost("attacker.example:" + endpoint.port(), null, "application/json", token)).as("DNS rebinding").isEqualTo(403);
        assertThat(rawPost(self, "http://attacker.example", "application/json", token)).as("cross-origin").isEqualTo(403);
        assertThat(rawPost(self, null, "text/plain", token)).as("a simple form post").isEqualTo(403);
        assertThat(rawPost(self, null, null, token)).isEqualTo(403);
    }

    @Test
    void theTokenIsMadeAnewAtEachStart() throws Exception {
        String first = Files.readString(dir.resolve(AdminEndpoint.TOKEN_FILE)).trim();
        endpoint.close();
        endpoint = AdminEndpoint.start(new LocalAdmin(store, List.of(), false, org.letterbox.server.config.ServerConfig.defaults()), dir, 0);
        String second = Files.readString(dir.resolve(AdminEndpoint.TOKEN_FILE)).trim();
        assertThat(second).hasSize(64).isNotEqualTo(first);
        assertThat(post(first, "{}")).isEqualTo(401);
        assertThat(post(second, "{}")).isEqualTo(200);
    }

    @Test
    void theClientDoesNotSendTheTokenToAListenerThatCannotProveItIsTheServer() throws Exception {
        endpoint.close();
        java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer impostor = com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        impostor.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            byte[] answer = "{\"result\":\"00\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        impostor.start();
        try {
            Files.writeString(dir.resolve(AdminEndpoint.ENDPOINT_FILE), "127.0.0.1:" + impostor.getAddress().getPort() + "\n");
            assertThatThrownBy(() -> RemoteAdmin.find(dir)).isInstanceOf(AdminException.class)
                .hasMessageContaining("is not this server");
            assertThat(authorizations).isEmpty();
        } finally {
            impostor.stop(0);
            Files.deleteIfExists(dir.resolve(AdminEndpoint.ENDPOINT_FILE));
        }
        endpoint = AdminEndpoint.start(new LocalAdmin(store, List.of(), false, org.letterbox.server.config.ServerConfig.defaults()), dir, 0);
    }

    @Test
    void everyRequestTypeIsKnownToTheEndpointByItsNameAndBadArgumentsAreNamed() {
        assertThat(AdminRequest.types()).containsKeys("ping", "addDomain", "addUser", "quotaOf", "setQuota", "statusOf",
            "importMessages", "exportMessages");
        assertThat(AdminRequest.types()).hasSize(AdminRequest.class.getPermittedSubclasses().length);
        assertThatThrownBy(() -> AdminEndpoint.request("addUser", AdminJson.MAPPER.createObjectNode().put("address", "a@b.test")))
            .isInstanceOf(AdminException.class).hasMessage("missing argument: password");
        assertThatThrownBy(() -> AdminEndpoint.request("dropEverything", AdminJson.MAPPER.createObjectNode()))
            .isInstanceOf(AdminException.class).hasMessage("unknown admin operation: dropEverything");
        assertThat(new AdminRequest.AddUser("a@b.test", "secret").toString()).doesNotContain("secret");
        var types = AdminJson.MAPPER.getTypeFactory();
        assertThat(new AdminRequest.Users().resultType(types)).isEqualTo(types.constructCollectionType(java.util.List.class, String.class));
        assertThat(new AdminRequest.StatusOf().resultType(types)).isEqualTo(types.constructType(Admin.Status.class));
    }
}
