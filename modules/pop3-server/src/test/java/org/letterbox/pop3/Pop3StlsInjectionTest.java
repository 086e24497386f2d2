package org.letterbox.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.LineClient;

/** STLS command injection (the CVE-2011-0411 class): commands sent with STLS must never run inside TLS. */
class Pop3StlsInjectionTest {

    private Pop3Fixture fixture;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Pop3Fixture();
        port = fixture.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void userAndPassSentWithStlsInOneSegmentEndTheConnectionAndAreNeverExecuted() throws Exception {
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.sendRaw("STLS\r\nUSER alice@example.test\r\nPASS alice-pw\r\n");
            // bytes after STLS, before the handshake: James refuses them and the session ends, without TLS or login
            assertThat(c.readLine()).isEqualTo("-ERR");
            assertThat(c.readLine()).isNull();
        }
        try (LineClient c = LineClient.connect(port)) {
            c.readLine();
            c.send("USER alice@example.test");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("PASS alice-pw");
            assertThat(c.readLine()).startsWith("+OK");
        }
    }
}
