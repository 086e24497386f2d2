package org.letterbox.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.letterbox.testing.TestDns;

/** MX, address and TXT questions against a DNS server on loopback. */
class DnsTest {

    private TestDns server;
    private Dns dns;

    @BeforeEach
    void setUp() throws Exception {
        server = TestDns.start();
        dns = new Dns(Dns.resolver(List.of(Dns.server(server.server())), Duration.ofSeconds(2)), Duration.ofSeconds(2),
            new Random(1));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static List<String> names(MxAnswer answer) {
        assertThat(answer).isInstanceOf(MxAnswer.Hosts.class);
        return ((MxAnswer.Hosts) answer).hosts().stream().map(MxHost::name).toList();
    }

    @Test
    void mxHostsComeInPreferenceOrder() {
        server.mx("example.test", 20, "backup.example.test").mx("example.test", 10, "mx1.example.test")
            .mx("example.test", 30, "last.example.test");
        assertThat(names(dns.mx("example.test"))).containsExactly("mx1.example.test", "backup.example.test", "last.example.test");
    }

    @Test
    void reverseDnsNamesTheHostsOfAnAddress() throws Exception {
        server.ptr("192.0.2.7", "Mail.Example.test").ptr("2001:db8::25", "mail6.example.test");
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.7")))
            .isEqualTo(new DnsAnswer.Found<>(List.of("mail.example.test"), false));
        assertThat(dns.ptr(InetAddress.getByName("2001:db8::25")))
            .isEqualTo(new DnsAnswer.Found<>(List.of("mail6.example.test"), false));
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.8"))).isInstanceOf(DnsAnswer.NotFound.class);
    }

    @Test
    void hostsOfEqualPreferenceAreTriedInRandomOrder() {
        server.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test")
            .mx("example.test", 10, "c.example.test").mx("example.test", 5, "first.example.test");
        Set<String> seconds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            List<String> order = names(dns.mx("example.test"));
            assertThat(order.get(0)).isEqualTo("first.example.test");
            assertThat(order.subList(1, 4)).containsExactlyInAnyOrder("a.example.test", "b.example.test", "c.example.test");
            seconds.add(order.get(1));
        }
        assertThat(seconds).hasSize(3);
    }

    @Test
    void aDomainWithoutMxButWithAnAddressIsItsOwnImplicitMx() {
        server.a("plain.test", "127.0.0.5");
        MxAnswer answer = dns.mx("plain.test");
        assertThat(answer).isEqualTo(new MxAnswer.Hosts(List.of(new MxHost("plain.test", 0, true)), false));
    }

    @Test
    void aNullMxSaysTheDomainTakesNoMail() {
        server.mx("nomail.test", 0, ".");
        assertThat(dns.mx("nomail.test")).isEqualTo(new MxAnswer.NullMx("nomail.test"));
    }

    @Test
    void aDomainThatDoesNotExistIsSaidSo() {
        server.a("other.test", "127.0.0.9");
        assertThat(dns.mx("missing.test")).isEqualTo(new MxAnswer.NoSuchDomain("missing.test"));
    }

    @Test
    void aServerFailureIsTemporary() {
        server.servfail("broken.test");
        assertThat(dns.mx("broken.test")).isInstanceOf(MxAnswer.TemporaryFailure.class);
        assertThat(((MxAnswer.TemporaryFailure) dns.mx("broken.test")).reason()).contains("SERVFAIL");
    }

    @Test
    void noDnsServerAtAllIsTemporary() throws Exception {
        int silent = org.letterbox.testing.FreePort.next();
        Dns nobody = new Dns(Dns.resolver(List.of(Dns.server("127.0.0.1:" + silent)), Duration.ofMillis(300)),
            Duration.ofMillis(300), new Random(1));
        assertThat(nobody.mx("example.test")).isInstanceOf(MxAnswer.TemporaryFailure.class);
    }

    @Test
    void addressesFollowTheFamilyPreference() throws Exception {
        server.a("mx.example.test", "127.0.0.2").aaaa("mx.example.test", "::1");
        InetAddress v4 = InetAddress.getByName("127.0.0.2");
        InetAddress v6 = InetAddress.getByName("::1");
        assertThat(found(dns.addresses("mx.example.test", IpPreference.PREFER_IPV4))).containsExactly(v4, v6);
        assertThat(found(dns.addresses("mx.example.test", IpPreference.PREFER_IPV6))).containsExactly(v6, v4);
        assertThat(found(dns.addresses("mx.example.test", IpPreference.IPV4))).containsExactly(v4);
        assertThat(found(dns.addresses("mx.example.test", IpPreference.IPV6))).containsExactly(v6);
    }

    @Test
    void cnameChainsAreFollowed() throws Exception {
        server.cname("mail.example.test", "alias.example.test").cname("alias.example.test", "real.example.test")
            .a("real.example.test", "127.0.0.7");
        assertThat(found(dns.addresses("mail.example.test", IpPreference.IPV4)))
            .containsExactly(InetAddress.getByName("127.0.0.7"));
    }

    @Test
    void aCnameLoopIsABrokenAnswerNotAHang() {
        server.cname("a.loop.test", "b.loop.test").cname("b.loop.test", "a.loop.test");
        assertThat(dns.addresses("a.loop.test", IpPreference.IPV4)).isInstanceOf(DnsAnswer.TemporaryFailure.class);
    }

    @Test
    void aHostWithoutAddressesIsNotFound() {
        server.txt("noaddress.test", "v=spf1 -all");
        assertThat(dns.addresses("noaddress.test", IpPreference.PREFER_IPV4))
            .isEqualTo(new DnsAnswer.NotFound<>("noaddress.test", true, false));
    }

    @Test
    void longTxtRecordsAreJoinedAndLargeAnswersComeOverTcp() {
        String part = "x".repeat(250);
        for (int i = 0; i < 4; i++) {
            server.txt("big.test", part + i, part);
        }
        DnsAnswer<String> answer = dns.txt("big.test");
        assertThat(answer).isInstanceOf(DnsAnswer.Found.class);
        assertThat(((DnsAnswer.Found<String>) answer).values()).hasSize(4).allMatch(text -> text.length() == 501);
        assertThat(server.tcpQueries()).isPositive();
    }

    @Test
    void internationalDomainsAreAskedForInTheirAsciiForm() {
        server.mx("xn--bcher-kva.test", 10, "mx.xn--bcher-kva.test");
        assertThat(names(dns.mx("bücher.test"))).containsExactly("mx.xn--bcher-kva.test");
    }

    @Test
    void serverEntriesTakeHostAndPort() {
        assertThat(Dns.server("127.0.0.1:5353").getPort()).isEqualTo(5353);
        assertThat(Dns.server("127.0.0.1").getPort()).isEqualTo(53);
        assertThat(Dns.server("[::1]:5300").getPort()).isEqualTo(5300);
        assertThat(Dns.server("::1").getPort()).isEqualTo(53);
    }

    private static List<InetAddress> found(DnsAnswer<InetAddress> answer) {
        assertThat(answer).isInstanceOf(DnsAnswer.Found.class);
        return ((DnsAnswer.Found<InetAddress>) answer).values();
    }
}
