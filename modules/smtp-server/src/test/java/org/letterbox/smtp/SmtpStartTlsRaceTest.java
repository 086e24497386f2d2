package org.letterbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TlsUpgradeRun;

/** SMTP STARTTLS upgrades, each handshake started the moment {@code 220} arrives: none may fail. */
@Tag("slow")
class SmtpStartTlsRaceTest {

    private static final TlsUpgradeRun.Upgrade STARTTLS = new TlsUpgradeRun.Upgrade() {
        @Override
        public void askForTls(LineClient c) throws Exception {
            assertThat(c.readReply()).startsWith("220 mx.example.test");
            assertThat(c.command("EHLO client.test")).startsWith("250 ");
            assertThat(c.command("STARTTLS")).startsWith("220 ");
        }

        @Override
        public void commandInsideTls(LineClient c) throws Exception {
            assertThat(c.command("EHLO client.test")).startsWith("250 ");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
    };

    private SmtpFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SmtpFixture();
        port = fixture.start(b -> b.maxConnections(400));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aThousandStartTlsUpgradesInARowAllSucceed() {
        assertThat(TlsUpgradeRun.inARow(port, 1000, STARTTLS)).isEmpty();
    }

    @Test
    void twoHundredStartTlsUpgradesAtOnceAllSucceed() throws Exception {
        assertThat(TlsUpgradeRun.together(port, 200, STARTTLS)).isEmpty();
    }
}
