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
        endpoint = AdminEndpoint.start(new LocalAdmin(store, List.of("smtp.mx 127.0.0.1:2525 tls=starttls"), false), dir, 0);
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
        store.close();
    }

    private int post(String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/domains"))
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
        admin.addDomain("example.test");
        admin.addUser("you@example.test", "pw");
        assertThat(admin.users()).containsExactly("you@example.test");
        assertThat(admin.status().listeners()).containsExactly("smtp.mx 127.0.0.1:2525 tls=starttls");
        assertThatThrownBy(() -> admin.addUser("you@example.test", "pw"))
            .isInstanceOf(AdminException.class).hasMessage("user you@example.test already exists");
        assertThatThrownBy(() -> admin.quota("nobody@example.test"))
            .isInstanceOf(AdminException.class).hasMessage("no such user: nobody@example.test");
    }

    @Test
    void closingRemovesTheEndpointFileSoTheClientNoLongerFindsIt() {
        endpoint.close();
        assertThat(Files.exists(dir.resolve(AdminEndpoint.ENDPOINT_FILE))).isFalse();
        assertThat(RemoteAdmin.find(dir)).isEmpty();
    }
}
