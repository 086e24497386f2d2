package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TlsUpgradeRun;

/** IMAP STARTTLS upgrades, each handshake started the moment the tagged OK arrives: none may fail. */
@Tag("slow")
class ImapStartTlsRaceTest {

    private static final TlsUpgradeRun.Upgrade STARTTLS = new TlsUpgradeRun.Upgrade() {
        @Override
        public void askForTls(LineClient c) throws Exception {
            assertThat(c.readLine()).startsWith("* OK ");
            c.send("a1 STARTTLS");
            assertThat(c.readLine()).isEqualTo("a1 OK STARTTLS Begin TLS negotiation now.");
        }

        @Override
        public void commandInsideTls(LineClient c) throws Exception {
            c.send("a2 NOOP");
            assertThat(c.readLine()).isEqualTo("a2 OK NOOP completed.");
        }
    };

    private ImapFixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ImapFixture();
        port = fixture.start(b -> b.maxConnections(400));
    }

    @AfterEach
    void tearDown() throws Exception {
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
