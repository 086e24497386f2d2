package org.letterbox.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("letterbox.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void defaultConfigurationShippedInConfLoads() {
        ServerConfig config = new ConfigLoader().load(Path.of("../../conf/letterbox.yaml"));
        assertThat(config.dataDirectory()).isEqualTo("./data");
    }

    @Test
    void missingKeysTakeTheirDefaults() throws Exception {
        ServerConfig config = new ConfigLoader().load(write("hostname: mail.example.test\n"));
        assertThat(config.hostname()).isEqualTo("mail.example.test");
        assertThat(config.dataDirectory()).isEqualTo("./data");
        assertThat(config.store().workerThreads()).isEqualTo(8);
    }

    @Test
    void unknownKeyIsRefusedNamingTheKey() throws Exception {
        Path file = write("store:\n  readerConections: 3\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": unknown key 'store.readerConections'");
    }

    @Test
    void badValueIsRefusedNamingTheKey() throws Exception {
        Path file = write("store:\n  workerThreads: many\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": bad value for 'store.workerThreads': expected a whole number, not 'many' (line 2)");
    }

    @Test
    void outOfRangeValueIsRefusedNamingTheKey() throws Exception {
        Path file = write("store:\n  workerThreads: 0\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("store.workerThreads must be at least 1");
    }

    @Test
    void aLoadBalancerNetworkThatIsNotCidrIsRefusedNamingTheKey() throws Exception {
        Path file = write("proxyProtocol:\n  from: [\"haproxy.example.org\"]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("proxyProtocol.from: not a network in CIDR notation: 'haproxy.example.org'");
    }

    @Test
    void environmentVariablesOverrideTheDataDirectoryAndPorts() throws Exception {
        Path file = write("dataDirectory: /srv/mail\nsmtp:\n  mx: { port: 25 }\n");
        ServerConfig config = new ConfigLoader().load(file, java.util.Map.of("LETTERBOX_DATA_DIR", "/tmp/box",
            "LETTERBOX_SMTP_PORT", "2526", "LETTERBOX_IMAPS_PORT", "1994", "LETTERBOX_ADMIN_PORT", "8025"));
        assertThat(config.dataDirectory()).isEqualTo("/tmp/box");
        assertThat(config.smtp().mx().port()).isEqualTo(2526);
        assertThat(config.imap().imaps().port()).isEqualTo(1994);
        assertThat(config.admin().port()).isEqualTo(8025);
        assertThat(config.imap().imap().port()).isEqualTo(1143);
    }

    @Test
    void aBadOverrideIsRefusedNamingTheKey() throws Exception {
        Path file = write("hostname: mail.example.test\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file, java.util.Map.of("LETTERBOX_POP3_PORT", "pop")))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": bad value for 'pop3.pop3.port': expected a whole number, not 'pop' (LETTERBOX_POP3_PORT)");
    }

    @Test
    void protocolLimitsAreReadFromTheFile() throws Exception {
        ServerConfig config = new ConfigLoader().load(write("smtp:\n  maxConnections: 50\n  dataTimeoutSeconds: 120\n"
            + "login:\n  blockMinutes: 5\nimap:\n  idleTimeoutSeconds: 3600\n  maxConnectionsPerIp: 10\n"
            + "pop3:\n  failedLoginDelayMillis: 500\n"));
        assertThat(config.smtp().maxConnections()).isEqualTo(50);
        assertThat(config.smtp().dataTimeoutSeconds()).isEqualTo(120);
        assertThat(config.login().blockMinutes()).isEqualTo(5);
        assertThat(config.login().failuresBeforeBlock()).isEqualTo(10);
        assertThat(config.smtp().spoolThreshold()).isEqualTo(256 * 1024);
        assertThat(config.imap().idleTimeoutSeconds()).isEqualTo(3600);
        assertThat(config.imap().maxConnectionsPerIp()).isEqualTo(10);
        assertThat(config.pop3().failedLoginDelayMillis()).isEqualTo(500);
        assertThat(config.pop3().idleTimeoutSeconds()).isEqualTo(600);
    }

    @Test
    void aLimitBelowItsFloorIsRefusedNamingTheKey() throws Exception {
        Path file = write("smtp:\n  maxCommandLineLength: 100\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("smtp.maxCommandLineLength must be at least 512");
    }

    @Test
    void aTimeoutUnderItsProtocolsFloorIsRefusedAtLoadNamingTheKey() throws Exception {
        Path imap = write("imap:\n  idleTimeoutSeconds: 60\n");
        assertThatThrownBy(() -> new ConfigLoader().load(imap))
            .hasMessageContaining("imap.idleTimeoutSeconds").hasMessageContaining("1800");
        Path pop3 = write("pop3:\n  idleTimeoutSeconds: 300\n");
        assertThatThrownBy(() -> new ConfigLoader().load(pop3))
            .hasMessageContaining("pop3.idleTimeoutSeconds").hasMessageContaining("600");
    }

    @Test
    void anOldKeyNameStillWorksUnderItsNewName() throws Exception {
        ServerConfig config = new ConfigLoader().load(write("smtp:\n  authFailureDelayMillis: 500\n  plaintextAuthOnLoopback: false\n"));
        assertThat(config.smtp().failedLoginDelayMillis()).isEqualTo(500);
        assertThat(config.smtp().plaintextLoginOnLoopback()).isFalse();
    }

    @Test
    void anOldKeyNameIsNamedToTheCallerWithItsNewName() throws Exception {
        Path file = write("smtp:\n  authFailureDelayMillis: 500\n");
        java.util.List<String> notices = new java.util.ArrayList<>();
        new ConfigLoader().load(file, java.util.Map.of(), notices::add);
        assertThat(notices).containsExactly(file + ": 'smtp.authFailureDelayMillis' is now called"
            + " 'smtp.failedLoginDelayMillis'; the old name still works, rename it");
    }

    @Test
    void anOldKeyNameNextToItsNewNameIsRefusedNamingBoth() throws Exception {
        Path file = write("smtp:\n  authFailureDelayMillis: 500\n  failedLoginDelayMillis: 700\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessageContaining("'smtp.authFailureDelayMillis' is the old name of 'smtp.failedLoginDelayMillis'");
    }

    @Test
    void everyKeyWrittenWithItsDefaultReadsBackAsTheDefaults() throws Exception {
        // JSON is YAML too: every key of every section, with the value the code applies when it is missing
        String every = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .writeValueAsString(ServerConfig.defaults());
        assertThat(new ConfigLoader().load(write(every))).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void valuesOfEveryKindAreRead() throws Exception {
        ServerConfig config = new ConfigLoader().load(write("""
            hostname: mail.example.test
            trustedNetworks: [10.0.0.0/8]
            smtp:
              maxMessageSize: 10000000000
              plaintextLoginOnLoopback: false
              mx: { port: "25", tls: none, address: 0.0.0.0 }
            delivery:
              retryMinutes:
                - 1
                - 15
              tlsPolicies:
                example.org: verify
            store:
              plusSeparator: "-"
            """));
        assertThat(config.hostname()).isEqualTo("mail.example.test");
        assertThat(config.trustedNetworks()).containsExactly("10.0.0.0/8");
        assertThat(config.smtp().maxMessageSize()).isEqualTo(10_000_000_000L);
        assertThat(config.smtp().plaintextLoginOnLoopback()).isFalse();
        assertThat(config.smtp().mx()).isEqualTo(new ServerConfig.Listener(true, "0.0.0.0", 25, org.letterbox.net.TlsMode.NONE));
        assertThat(config.delivery().retryMinutes()).containsExactly(1, 15);
        assertThat(config.delivery().tlsPolicies()).containsExactly(java.util.Map.entry("example.org", "verify"));
        assertThat(config.store().plusSeparator()).isEqualTo("-");
    }

    @Test
    void aWordYamlOnceReadAsYesOrNoStaysAWordWhereTextIsExpected() throws Exception {
        assertThat(new ConfigLoader().load(write("hostname: no\n")).hostname()).isEqualTo("no");
    }

    @Test
    void anEmptyValueTakesTheDefault() throws Exception {
        ServerConfig config = new ConfigLoader().load(write("hostname:\nsmtp:\nimap: ~\n"));
        assertThat(config.hostname()).isEqualTo("localhost");
        assertThat(config.smtp()).isEqualTo(ServerConfig.defaults().smtp());
        assertThat(config.imap()).isEqualTo(ServerConfig.defaults().imap());
    }

    @Test
    void aSwitchThatIsNotTrueOrFalseIsRefusedNamingTheKeyAndLine() throws Exception {
        Path file = write("hostname: mail.example.test\nimap:\n  plaintextLoginOnLoopback: yes\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": bad value for 'imap.plaintextLoginOnLoopback': expected true or false, not 'yes' (line 3)");
    }

    @Test
    void aTlsModeThatDoesNotExistIsRefusedNamingTheModesThatDo() throws Exception {
        Path file = write("pop3:\n  pop3s: { tls: ssl }\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": bad value for 'pop3.pop3s.tls': expected one of none, starttls, implicit, not 'ssl' (line 2)");
    }

    @Test
    void aValueWhereASectionBelongsIsRefusedNamingTheKey() throws Exception {
        Path file = write("smtp: 25\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessageStartingWith(file + ": bad value for 'smtp': expected a set of keys");
    }

    @Test
    void aSectionWhereAValueBelongsIsRefusedNamingTheKey() throws Exception {
        Path file = write("hostname:\n  name: mail.example.test\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": bad value for 'hostname': expected a single value, not a set of keys");
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanOneOfThemIgnored() throws Exception {
        Path file = write("smtp:\n  maxRecipients: 10\nimap: {}\nsmtp:\n  maxRecipients: 20\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": line 4: 'smtp' is given twice");
    }

    @Test
    void aFileThatIsNotYamlIsRefusedWithTheLineOfTheProblem() throws Exception {
        Path file = write("hostname: mail.example.test\nsmtp:\n  mx: [port\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file + ": line 4, column 1: ");
    }

    @Test
    void aFileThatIsAListInsteadOfKeysIsRefused() throws Exception {
        Path file = write("- hostname\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": line 1: the file must be a set of keys, such as 'hostname: mail.example.org'");
    }

    @Test
    void anEmptyFileIsEveryDefault() throws Exception {
        assertThat(new ConfigLoader().load(write("# nothing set\n"))).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void anEmptyItemInAListIsRefusedNamingItsPlace() throws Exception {
        Path file = write("delivery:\n  retryMinutes: [5, ~, 30]\n");
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": bad value for 'delivery.retryMinutes[1]': an empty item in a list (line 2)");
    }
}
