package org.letterbox.server.dnssetup;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.letterbox.dns.Dns;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.web.MtaStsPolicyFile;

/**
 * The records a domain served by this host needs: where its mail goes (MX, the host's A/AAAA), who may send it
 * (SPF for the domain and for the host name), its signatures (DKIM, every key that signs or is about to), what to
 * do with forgeries (DMARC), TLS for mail to it (MTA-STS, TLS-RPT), how clients find the services (SRV, autoconfig
 * and autodiscover names), and which CA may issue its certificates (CAA).
 */
public final class DnsPlanner {

    /** Where DMARC and TLS-RPT reports go, at the domain itself. */
    static final String REPORTS_LOCAL_PART = "postmaster";
    /** The certificate authority the CAA record names: ACME's usual one. */
    static final String CAA_ISSUER = "letsencrypt.org";

    private DnsPlanner() {
    }

    /** The plan for {@code domain} served by {@code host}, signing with {@code keys}. */
    public static DnsPlan plan(MailHost host, String domain, List<DomainKeys.Info> keys) {
        String zone = Dns.ascii(domain);
        String apex = zone + ".";
        String server = Dns.ascii(host.hostname()) + ".";
        String reports = REPORTS_LOCAL_PART + "@" + zone;
        List<DnsRecord> records = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        records.add(new DnsRecord(apex, "MX", "10 " + server, "mail for " + zone + " goes to this server"));
        for (InetAddress address : host.addresses()) {
            records.add(new DnsRecord(server, address instanceof Inet4Address ? "A" : "AAAA", address.getHostAddress(),
                "the server's address"));
        }
        records.add(new DnsRecord(apex, "TXT", ZoneText.quoted(domainSpf()), "SPF: only the MX hosts send mail from " + zone));
        if (!server.equals(apex)) {
            records.add(new DnsRecord(server, "TXT", ZoneText.quoted(hostSpf()), "SPF for the name the server greets with (HELO)"));
        }
        for (DomainKeys.Info key : keys) {
            String state = switch (key.state()) {
                case "active" -> "signs now";
                case "pending" -> "signs after letterbox dkim activate " + zone;
                default -> "retired: keep it a few days for mail already sent, then remove it";
            };
            records.add(new DnsRecord(key.dnsName() + ".", "TXT", ZoneText.quoted(key.record()),
                "DKIM " + key.algorithm() + " key, " + state));
        }
        records.add(new DnsRecord("_dmarc." + apex, "TXT", ZoneText.quoted(dmarc(reports)),
            "DMARC: receivers refuse mail that fails SPF and DKIM alignment; reports to " + reports));
        MtaStsPolicyFile policy = new MtaStsPolicyFile(host.mtaStsMode(), List.of(host.hostname()),
            MtaStsPolicyFile.DEFAULT_MAX_AGE_SECONDS);
        records.add(new DnsRecord("_mta-sts." + apex, "TXT", ZoneText.quoted("v=STSv1; id=" + policy.id()),
            "MTA-STS: senders must use TLS to this server (the id changes with the policy)"));
        records.add(new DnsRecord("mta-sts." + apex, "CNAME", server, "where senders fetch the MTA-STS policy"));
        records.add(new DnsRecord("_smtp._tls." + apex, "TXT", ZoneText.quoted("v=TLSRPTv1; rua=mailto:" + reports),
            "TLS-RPT: senders report TLS failures to " + reports));
        for (MailHost.Service service : host.services()) {
            records.add(new DnsRecord(service.label() + "._tcp." + apex, "SRV",
                service.offered() ? "0 1 " + service.port() + " " + server : "0 0 0 .",
                service.offered() ? "clients find " + service.label().substring(1) + " here (RFC 6186, RFC 8314)"
                    : service.label().substring(1) + " is not offered"));
        }
        records.add(new DnsRecord("_autodiscover._tcp." + apex, "SRV", "0 1 443 " + server, "Outlook's autodiscover"));
        records.add(new DnsRecord("autoconfig." + apex, "CNAME", server, "Thunderbird's autoconfig"));
        records.add(new DnsRecord("autodiscover." + apex, "CNAME", server, "Outlook's autodiscover"));
        records.add(new DnsRecord(apex, "CAA", "0 issue \"" + CAA_ISSUER + "\"",
            "only Let's Encrypt may issue certificates for " + zone + " (name your CA instead if you use another)"));

        if (host.addresses().isEmpty()) {
            notes.add("The server's public addresses are not known here: add an A (and AAAA) record for " + server
                + " by hand, or run again with --address.");
        }
        for (InetAddress address : host.addresses()) {
            notes.add("Reverse DNS: ask your hosting provider to set the PTR record of " + address.getHostAddress()
                + " to " + host.hostname() + " (" + org.xbill.DNS.ReverseMap.fromAddress(address) + " PTR " + server
                + "); receivers such as Gmail refuse mail from addresses without it.");
        }
        if (!server.endsWith("." + apex) && !server.equals(apex)) {
            notes.add("The A/AAAA and SPF records of " + host.hostname() + " belong in the zone that holds that name,"
                + " not in " + zone + "'s.");
        }
        notes.add("DKIM records are longer than 255 characters, so the zone file holds them as several quoted strings."
            + " Web forms differ: most want the whole text in one piece, without quotes, and split it themselves;"
            + " a few want the quoted pieces as printed. letterbox dns check " + zone + " tells whether it reads back whole.");
        notes.add("This server serves the MTA-STS policy at https://mta-sts." + zone + "/.well-known/mta-sts.txt once its"
            + " web.https listener answers on port 443 with a certificate for that name (acme.enabled does both);"
            + " until then leave out the _mta-sts record. The policy (" + host.mtaStsMode() + " mode, web.mtaStsMode):\n"
            + policy.text().replace("\r\n", "\n").stripTrailing());
        notes.add("DMARC and TLS-RPT reports go to " + reports + ": it must deliver (letterbox alias add " + reports
            + " YOU@" + zone + ").");
        host.warnings().forEach(warning -> notes.add("Configuration: " + warning + "."));
        return new DnsPlan(zone, records, notes);
    }

    /** SPF of a domain served here: its MX hosts send its mail, nothing else does. */
    static String domainSpf() {
        return "v=spf1 mx -all";
    }

    /** SPF of the host name, for the HELO identity (RFC 7208 §2.3). */
    static String hostSpf() {
        return "v=spf1 a -all";
    }

    static String dmarc(String reports) {
        return "v=DMARC1; p=reject; rua=mailto:" + reports;
    }
}
