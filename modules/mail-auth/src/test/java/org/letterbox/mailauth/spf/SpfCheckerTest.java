package org.letterbox.mailauth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.dns.Dns;
import org.letterbox.testing.TestDns;

/** SPF (RFC 7208) through jSPF over our resolver, against a DNS server on loopback: every result it can give. */
class SpfCheckerTest {

    private TestDns dns;
    private SpfChecker spf;

    @BeforeEach
    void setUp() throws Exception {
        dns = TestDns.start();
        spf = new SpfChecker(new Dns(Dns.resolver(List.of(Dns.server(dns.server())), Duration.ofSeconds(2)), Duration.ofSeconds(2),
            new java.util.Random(1)), "mx.receiver.test", Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        dns.close();
    }

    private SpfResult.Status check(String client, String sender) throws Exception {
        return spf.check(InetAddress.getByName(client), sender, "client.test").status();
    }

    @Test
    void anAddressTheRecordListsPassesAndAnotherFails() throws Exception {
        dns.txt("pass.test", "v=spf1 ip4:192.0.2.1 ip6:2001:db8::/32 -all");
        assertThat(check("192.0.2.1", "a@pass.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("2001:db8::25", "a@pass.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("198.51.100.5", "a@pass.test")).isEqualTo(SpfResult.Status.FAIL);
    }

    @Test
    void softfailAndNeutralAreWhatTheRecordEndsWith() throws Exception {
        dns.txt("soft.test", "v=spf1 ip4:192.0.2.1 ~all").txt("neutral.test", "v=spf1 ?all");
        assertThat(check("198.51.100.5", "a@soft.test")).isEqualTo(SpfResult.Status.SOFTFAIL);
        assertThat(check("198.51.100.5", "a@neutral.test")).isEqualTo(SpfResult.Status.NEUTRAL);
    }

    @Test
    void aDomainWithoutARecordIsNone() throws Exception {
        dns.a("norecord.test", "192.0.2.9");
        assertThat(check("192.0.2.9", "a@norecord.test")).isEqualTo(SpfResult.Status.NONE);
    }

    @Test
    void txtRecordsThatAreNotSpfAndAMissingNameAreNoneAndVersionPrefixesAreNotSpf() throws Exception {
        dns.txt("verified.test", "google-site-verification=abc").txt("verified.test", "v=spf10 ip4:192.0.2.1 -all")
            .txt("upper.test", "V=SPF1 ip4:192.0.2.1 -all").txt("bare.test", "v=spf1");
        assertThat(check("192.0.2.1", "a@verified.test")).isEqualTo(SpfResult.Status.NONE);
        assertThat(check("192.0.2.1", "a@missing.test")).isEqualTo(SpfResult.Status.NONE);
        assertThat(check("192.0.2.1", "a@upper.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("192.0.2.1", "a@bare.test")).isEqualTo(SpfResult.Status.NEUTRAL);
    }

    @Test
    void aDnsFailureIsTemperrorAndABrokenRecordPermerror() throws Exception {
        dns.servfail("broken-dns.test").txt("broken-record.test", "v=spf1 ip4:192.0.2.1 frobnicate -all");
        assertThat(check("192.0.2.1", "a@broken-dns.test")).isEqualTo(SpfResult.Status.TEMPERROR);
        assertThat(check("192.0.2.1", "a@broken-record.test")).isEqualTo(SpfResult.Status.PERMERROR);
    }

    @Test
    void includeAndRedirectChainsAreFollowedAndAMechanismsTooAndMx() throws Exception {
        dns.txt("chain.test", "v=spf1 include:_spf.provider.test -all")
            .txt("_spf.provider.test", "v=spf1 ip4:203.0.113.0/24 -all")
            .txt("moved.test", "v=spf1 redirect=chain.test")
            .txt("hosts.test", "v=spf1 a mx -all").a("hosts.test", "192.0.2.40")
            .mx("hosts.test", 10, "mx.hosts.test").a("mx.hosts.test", "192.0.2.41");
        assertThat(check("203.0.113.9", "a@chain.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("203.0.113.9", "a@moved.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("192.0.2.1", "a@moved.test")).isEqualTo(SpfResult.Status.FAIL);
        assertThat(check("192.0.2.40", "a@hosts.test")).isEqualTo(SpfResult.Status.PASS);
        assertThat(check("192.0.2.41", "a@hosts.test")).isEqualTo(SpfResult.Status.PASS);
    }

    @Test
    void moreThanTenLookupsIsPermerror() throws Exception {
        for (int i = 0; i < 11; i++) {
            dns.txt("l" + i + ".limit.test", "v=spf1 include:l" + (i + 1) + ".limit.test -all");
        }
        dns.txt("l11.limit.test", "v=spf1 ip4:192.0.2.1 -all");
        assertThat(check("192.0.2.1", "a@l0.limit.test")).isEqualTo(SpfResult.Status.PERMERROR);
    }

    @Test
    void theNullSenderIsJudgedByItsHeloName() throws Exception {
        dns.txt("client.test", "v=spf1 ip4:192.0.2.50 -all");
        SpfResult result = spf.check(InetAddress.getByName("192.0.2.50"), "", "client.test");
        assertThat(result.status()).isEqualTo(SpfResult.Status.PASS);
        assertThat(result.identity()).isEqualTo("helo");
        assertThat(result.domain()).isEqualTo("client.test");
    }

    @Test
    void aDomainWithoutSpfIsAskedOnceNotForEveryMessage() throws Exception {
        dns.a("nospf.test", "192.0.2.9");
        for (int i = 0; i < 20; i++) {
            assertThat(check("192.0.2.9", "a@nospf.test")).isEqualTo(SpfResult.Status.NONE);
        }
        assertThat(dns.queries()).filteredOn(query -> query.equals("nospf.test/TXT")).hasSize(1);
    }
}
