package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;
import org.letterbox.testing.TlsUpgradeRun;

/** STLS upgrades, each handshake started the moment {@code +OK} arrives: none may fail. */
@Tag("slow")
class Pop3StlsRaceTest {

    private static final TlsUpgradeRun.Upgrade STLS = new TlsUpgradeRun.Upgrade() {
        @Override
        public void askForTls(LineClient c) throws Exception {
            assertThat(c.readLine()).startsWith("+OK ");
            c.send("STLS");
            assertThat(c.readLine()).isEqualTo("+OK Begin TLS negotiation");
        }

        @Override
        public void commandInsideTls(LineClient c) throws Exception {
            c.send("CAPA");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(Pop3Fixture.multiline(c)).contains("USER").doesNotContain("STLS");
        }
    };

    private Pop3Fixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Pop3Fixture();
        port = fixture.start(b -> b.maxConnections(400, 400));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aThousandStlsUpgradesInARowAllSucceed() {
        assertThat(TlsUpgradeRun.inARow(port, 1000, STLS)).isEmpty();
    }

    @Test
    void twoHundredStlsUpgradesAtOnceAllSucceed() throws Exception {
        assertThat(TlsUpgradeRun.together(port, 200, STLS)).isEmpty();
    }
}
