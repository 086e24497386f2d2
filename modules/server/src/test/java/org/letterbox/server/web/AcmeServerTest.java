package org.letterbox.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.server.LetterboxServer;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.Pebble;
import org.letterbox.testing.TestDns;

/**
 * A server with {@code acme.enabled} against Pebble: it starts on its self-signed certificate, obtains one for its
 * host name and the client names of its domain that resolve to it (not the one that points elsewhere), and serves
 * it on the mail and web listeners without a restart. Skipped where Debian's {@code pebble} is not installed.
 */
@Tag("slow")
class AcmeServerTest {

    @TempDir
    Path dir;
    private TestDns dns;
    private Pebble pebble;
    private LetterboxServer server;
    private int imaps;
    private int https;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Pebble.available(), "Pebble (Debian package pebble) is not installed");
        dns = TestDns.start();
        dns.a("mail.example.test", "127.0.0.1").a("autoconfig.example.test", "127.0.0.1").cname("mta-sts.example.test", "mail.example.test")
            .a("autodiscover.example.test", "127.0.0.2");
        int http = FreePort.next();
        pebble = Pebble.start(dir.resolve("pebble"), dns.server(), http);
        try (MailStore store = MailStore.open(StoreConfig.defaults(dir.resolve("data")))) {
            store.accounts().addDomain("example.test");
        }
        imaps = FreePort.next();
        https = FreePort.next();
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, "hostname: mail.example.test\ndataDirectory: " + dir.resolve("data") + "\n"
            + "smtp:\n  mx: { enabled: false }\n  submission: { enabled: false }\n  submissions: { enabled: false }\n"
            + "imap:\n  imap: { enabled: false }\n  imaps: { port: " + imaps + " }\n"
            + "pop3:\n  pop3: { enabled: false }\n  pop3s: { enabled: false }\n"
            + "web:\n  https: { port: " + https + " }\n  http: { port: " + http + " }\n"
            + "dns: { servers: [\"" + dns.server() + "\"], dnssec: \"off\" }\n"
            + "acme:\n  enabled: true\n  directory: \"" + pebble.directory() + "\"\n"
            + "  trustCertificate: \"" + pebble.listenerCertificate() + "\"\n  email: postmaster@example.test\n"
            + "admin: { enabled: false }\nmailAuth: { enabled: false }\n");
        server = LetterboxServer.start(new ConfigLoader().load(file));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static X509Certificate served(int port) throws Exception {
        SSLContext context = org.letterbox.testing.TestTls.acceptingAnyCertificate();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "mail.example.test", port, true)) {
                socket.startHandshake();
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        }
    }

    private static List<String> names(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(entry -> String.valueOf(entry.get(1))).toList();
    }

    @Test
    void theServerObtainsACertificateAndEveryListenerServesItWithoutARestart() throws Exception {
        X509Certificate imap = served(imaps);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!imap.getIssuerX500Principal().getName().contains("Pebble") && System.nanoTime() < deadline) {
            Thread.sleep(250);
            imap = served(imaps);
        }
        assertThat(imap.getIssuerX500Principal().getName()).as(pebble.log()).contains("Pebble");
        assertThat(names(imap)).containsExactlyInAnyOrder("mail.example.test", "autoconfig.example.test", "mta-sts.example.test");
        assertThat(served(https)).isEqualTo(imap);
        Path acme = dir.resolve("data/acme");
        for (String file : List.of("fullchain.pem", "privkey.pem", "account.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(acme.resolve(file)))).as(file).isEqualTo("rw-------");
        }
    }
}
