package org.letterbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class TrustedNetworksTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void theDefaultTrustsIpv4AndIpv6LoopbackOnly() throws Exception {
        TrustedNetworks loopback = TrustedNetworks.loopback();
        assertThat(loopback.contains(ip("127.0.0.1"))).isTrue();
        assertThat(loopback.contains(ip("127.255.0.9"))).isTrue();
        assertThat(loopback.contains(ip("::1"))).isTrue();
        assertThat(loopback.contains(ip("128.0.0.1"))).isFalse();
        assertThat(loopback.contains(ip("::2"))).isFalse();
        assertThat(loopback.contains(ip("192.0.2.1"))).isFalse();
    }

    @Test
    void prefixesThatEndInsideAByteAndSingleHostsMatchExactly() throws Exception {
        TrustedNetworks networks = TrustedNetworks.of(List.of("192.0.2.64/26", "2001:db8::/33", "198.51.100.7"));
        assertThat(networks.contains(ip("192.0.2.64"))).isTrue();
        assertThat(networks.contains(ip("192.0.2.127"))).isTrue();
        assertThat(networks.contains(ip("192.0.2.128"))).isFalse();
        assertThat(networks.contains(ip("192.0.2.63"))).isFalse();
        assertThat(networks.contains(ip("2001:db8:7fff::1"))).isTrue();
        assertThat(networks.contains(ip("2001:db8:8000::1"))).isFalse();
        assertThat(networks.contains(ip("198.51.100.7"))).isTrue();
        assertThat(networks.contains(ip("198.51.100.8"))).isFalse();
    }

    @Test
    void badEntriesAreRefusedByName() {
        assertThatThrownBy(() -> TrustedNetworks.of(List.of("example.com/24"))).hasMessageContaining("'example.com/24'");
        assertThatThrownBy(() -> TrustedNetworks.of(List.of("10.0.0.0/33"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> TrustedNetworks.of(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
    }
}
