package org.letterbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.protocols.netty.ProtocolMDCContextFactory;
import org.junit.jupiter.api.Test;

/**
 * James's handlers look client host names up unless told not to; {@link NoReverseLookups} tells them. James reads its
 * switch once per JVM, when its factory is first used: no other test of this module loads James's handlers.
 */
class NoReverseLookupsTest {

    @Test
    void jamesReadsTheSwitchAsOff() {
        NoReverseLookups.apply();
        assertThat(System.getProperty(NoReverseLookups.PROPERTY)).isEqualTo("false");
        assertThat(ProtocolMDCContextFactory.ADD_HOST_TO_MDC).isFalse();
    }

    @Test
    void aSwitchTheOperatorSetIsKept() {
        String before = System.getProperty(NoReverseLookups.PROPERTY);
        System.setProperty(NoReverseLookups.PROPERTY, "true");
        try {
            NoReverseLookups.apply();
            assertThat(System.getProperty(NoReverseLookups.PROPERTY)).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(NoReverseLookups.PROPERTY);
            } else {
                System.setProperty(NoReverseLookups.PROPERTY, before);
            }
        }
    }
}
