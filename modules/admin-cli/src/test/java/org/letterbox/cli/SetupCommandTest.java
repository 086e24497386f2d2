package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.letterbox.net.TlsMode;
import org.letterbox.server.config.ConfigLoader;
import org.letterbox.server.config.ServerConfig;
import org.letterbox.store.MailStore;
import org.letterbox.store.StoreConfig;
import org.letterbox.store.account.CredentialVerifier;

/** {@code letterbox setup}: a first run makes a production installation; a second run changes nothing unasked. */
@Tag("slow")
class SetupCommandTest {

    private static final Pattern PASSWORD = Pattern.compile("password \\(shown this once\\): (\\S+)");

    @TempDir
    Path dir;
    private Path config;
    private InputStream stdin;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        stdin = System.in;
        config = dir.resolve("conf/letterbox.yaml");
        Files.createDirectories(config.getParent());
        // what the distribution ships: the quick start on loopback
        Files.writeString(config, "hostname: localhost\ndataDirectory: " + dir.resolve("data") + "\n");
    }

    @AfterEach
    void tearDown() {
        System.setIn(stdin);
    }

    private Result run(String stdinText, String... args) {
        System.setIn(new ByteArrayInputStream(stdinText.getBytes(StandardCharsets.UTF_8)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> full = new ArrayList<>(List.of("-c", config.toString()));
        full.addAll(List.of(args));
        int code = LetterboxCommand.run(full.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private boolean passwordWorks(String user, String password) throws Exception {
        ServerConfig loaded = new ConfigLoader().load(config);
        try (MailStore store = MailStore.open(StoreConfig.defaults(Path.of(loaded.dataDirectory())))) {
            return store.credentials().verify(user, password).get(30, TimeUnit.SECONDS) instanceof CredentialVerifier.Verified;
        }
    }

    @Test
    void aFirstRunAsksWhatItNeedsAndMakesAProductionInstallation() throws Exception {
        Result first = run("mail.example.test\nexample.test\nyou@example.test\ny\n",
            "setup", "--address", "192.0.2.7", "--no-check");
        assertThat(first.code()).as(first.err()).isZero();

        assertThat(first.out()).contains("Host name of this server", "First mail domain", "First address");
        ServerConfig written = new ConfigLoader().load(config);
        assertThat(written.hostname()).isEqualTo("mail.example.test");
        assertThat(written.dataDirectory()).isEqualTo(dir.resolve("data").toString());
        assertThat(List.of(written.smtp().mx(), written.smtp().submission(), written.smtp().submissions(), written.imap().imap(),
                written.imap().imaps(), written.pop3().pop3(), written.pop3().pop3s()))
            .extracting(listener -> listener.address() + ":" + listener.port() + " " + listener.tls())
            .containsExactly("0.0.0.0:25 " + TlsMode.STARTTLS, "0.0.0.0:587 " + TlsMode.STARTTLS, "0.0.0.0:465 " + TlsMode.IMPLICIT,
                "0.0.0.0:143 " + TlsMode.STARTTLS, "0.0.0.0:993 " + TlsMode.IMPLICIT, "0.0.0.0:110 " + TlsMode.STARTTLS,
                "0.0.0.0:995 " + TlsMode.IMPLICIT);
        assertThat(written.delivery().sourceAddresses()).containsExactly("192.0.2.7");
        assertThat(List.of(written.web().https(), written.web().http())).extracting(listener -> listener.address() + ":" + listener.port())
            .containsExactly("0.0.0.0:443", "0.0.0.0:80");
        assertThat(written.acme().enabled()).isTrue();
        assertThat(written.acme().email()).isEqualTo("you@example.test");
        assertThat(Files.readString(config.resolveSibling("letterbox.yaml.bak"))).startsWith("hostname: localhost\n");

        Matcher password = PASSWORD.matcher(first.out());
        assertThat(password.find()).isTrue();
        assertThat(password.group(1)).matches("([a-z2-9]{4}-){5}[a-z2-9]{4}");
        assertThat(first.out()).contains("domain example.test: added, with its DKIM keys",
            "postmaster postmaster@example.test: alias to you@example.test",
            "example.test.\tIN\tMX\t10 mail.example.test.", "mail.example.test.\tIN\tA\t192.0.2.7",
            "sudo systemctl daemon-reload && sudo systemctl enable --now letterbox");
        assertThat(run("", "dkim", "list", "example.test").out()).contains("rsa-sha256  active", "ed25519-sha256  active");
        assertThat(passwordWorks("you@example.test", password.group(1))).isTrue();

        // the same again: nothing changes, nothing is asked, no new password
        String configBefore = Files.readString(config);
        Result again = run("", "setup", "--hostname", "mail.example.test", "--domain", "example.test",
            "--user", "you@example.test", "--address", "192.0.2.7", "--no-check");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("configuration " + config + ": unchanged", "domain example.test: already there",
            "user you@example.test: already there, password unchanged", "postmaster postmaster@example.test: already delivers");
        assertThat(again.out()).doesNotContain("[y/N]", "shown this once");
        assertThat(Files.readString(config)).isEqualTo(configBefore);
        assertThat(passwordWorks("you@example.test", password.group(1))).isTrue();
    }

    @Test
    void aDifferentConfigurationIsReplacedOnlyWhenTheOwnerSaysSo() throws Exception {
        String shipped = Files.readString(config);
        Result declined = run("n\n", "setup", "--hostname", "mail.example.test", "--domain", "example.test",
            "--user", "you@example.test", "--no-check");
        assertThat(declined.code()).as(declined.err()).isZero();
        assertThat(declined.out()).contains("exists and differs from a production configuration for mail.example.test."
            + " Replace it (the old one is kept as letterbox.yaml.bak)? [y/N]", "configuration " + config + ": kept as it is");
        assertThat(Files.readString(config)).isEqualTo(shipped);
        assertThat(Files.exists(config.resolveSibling("letterbox.yaml.bak"))).isFalse();

        Result accepted = run("", "setup", "--hostname", "mail.example.test", "--domain", "example.test",
            "--user", "you@example.test", "--yes", "--no-check");
        assertThat(accepted.out()).contains("configuration " + config + ": written for mail.example.test",
            "user you@example.test: already there, password unchanged");
        assertThat(new ConfigLoader().load(config).smtp().mx().port()).isEqualTo(25);
    }

    @Test
    void anAddressOutsideTheDomainIsRefusedBeforeAnythingIsWritten() throws Exception {
        String shipped = Files.readString(config);
        Result refused = run("", "setup", "--hostname", "mail.example.test", "--domain", "example.test",
            "--user", "you@elsewhere.test", "--no-check");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("letterbox: the first address must be in example.test, not you@elsewhere.test\n");
        assertThat(Files.readString(config)).isEqualTo(shipped);
    }
}
