package org.letterbox.server.dnssetup;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.letterbox.delivery.tls.MtaSts;
import org.letterbox.delivery.tls.MtaStsPolicy;
import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.IpPreference;
import org.letterbox.dns.MxAnswer;
import org.letterbox.dns.MxHost;
import org.letterbox.mailauth.spf.SpfChecker;
import org.letterbox.mailauth.spf.SpfResult;
import org.letterbox.server.dkim.DomainKeys;
import org.letterbox.server.dnssetup.DnsFinding.Status;

/**
 * Checks a domain's live DNS against what {@link DnsPlanner} says it needs, as other mail servers will read it:
 * each finding says what was found and, when something is missing or wrong, the record that fixes it.
 */
public final class DnsChecker {

    private final Dns dns;
    private final SpfChecker spf;
    private final Optional<MtaSts> mtaSts;
    private final Optional<OutboundPort25> port25;
    private final Optional<String> smarthost;

    /**
     * @param mtaSts fetches a published policy over HTTPS; empty: only its TXT record is checked
     * @param port25 the probe of outbound SMTP; empty: not tried
     * @param smarthost the relay all mail leaves through, {@code host:port}; when set, port 25 is not needed
     */
    public DnsChecker(Dns dns, SpfChecker spf, Optional<MtaSts> mtaSts, Optional<OutboundPort25> port25,
                      Optional<String> smarthost) {
        this.dns = dns;
        this.spf = spf;
        this.mtaSts = mtaSts;
        this.port25 = port25;
        this.smarthost = smarthost;
    }

    /** Every check for {@code domain} served by {@code host} with DKIM {@code keys}. */
    public DnsReport check(MailHost host, String domain, List<DomainKeys.Info> keys) {
        DnsPlan plan = DnsPlanner.plan(host, domain, keys);
        String zone = plan.domain();
        Map<String, DnsRecord> wanted = new HashMap<>();
        plan.records().forEach(record -> wanted.putIfAbsent(record.name() + " " + record.type(), record));
        List<DnsFinding> findings = new ArrayList<>();
        findings.add(mx(host, zone, wanted));
        findings.add(addresses(host));
        for (InetAddress address : host.addresses()) {
            findings.add(reverse(host, address));
        }
        findings.add(spf("SPF " + zone, zone, "postmaster@" + zone, host, wanted.get(zone + ". TXT")));
        if (!host.hostname().equals(zone)) {
            findings.add(spf("SPF " + host.hostname(), host.hostname(), null, host, wanted.get(host.hostname() + ". TXT")));
        }
        for (DomainKeys.Info key : keys) {
            if (!key.state().equals("retired")) {
                findings.add(dkim(key));
            }
        }
        findings.add(dmarc(zone, wanted.get("_dmarc." + zone + ". TXT")));
        findings.add(mtaSts(host, zone, wanted));
        findings.add(tlsRpt(zone, wanted.get("_smtp._tls." + zone + ". TXT")));
        if (smarthost.isPresent()) {
            findings.add(DnsFinding.ok("outbound port 25", "not needed: mail leaves through the relay " + smarthost.get()));
        } else {
            port25.ifPresent(probe -> findings.add(probe.check(dns)));
        }
        return new DnsReport(zone, findings);
    }

    private static String publish(DnsRecord... records) {
        StringBuilder fix = new StringBuilder("publish:");
        for (DnsRecord record : records) {
            if (record != null) {
                fix.append("\n  ").append(record.zoneLine());
            }
        }
        return fix.toString();
    }

    private DnsFinding mx(MailHost host, String zone, Map<String, DnsRecord> wanted) {
        String check = "MX " + zone;
        String fix = publish(wanted.get(zone + ". MX"));
        MxAnswer answer = dns.mx(zone);
        if (answer instanceof MxAnswer.TemporaryFailure failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        if (answer instanceof MxAnswer.NoSuchDomain) {
            return new DnsFinding(check, Status.MISSING, zone + " does not exist in DNS", fix);
        }
        if (answer instanceof MxAnswer.NullMx) {
            return new DnsFinding(check, Status.WRONG, zone + " publishes a null MX: it says it receives no mail",
                "replace it; " + fix);
        }
        List<MxHost> hosts = ((MxAnswer.Hosts) answer).hosts();
        if (hosts.size() == 1 && hosts.get(0).implicit()) {
            return new DnsFinding(check, Status.MISSING, zone + " has no MX record", fix);
        }
        List<String> names = hosts.stream().map(MxHost::name).toList();
        if (names.contains(host.hostname())) {
            return DnsFinding.ok(check, String.join(", ", names));
        }
        return new DnsFinding(check, Status.WRONG, "points at " + String.join(", ", names) + ", not at " + host.hostname(), fix);
    }

    private DnsFinding addresses(MailHost host) {
        String check = "A/AAAA " + host.hostname();
        DnsAnswer<InetAddress> answer = dns.addresses(host.hostname(), IpPreference.PREFER_IPV4);
        String fix = publish(host.addresses().stream()
            .map(address -> new DnsRecord(host.hostname() + ".", address instanceof java.net.Inet4Address ? "A" : "AAAA",
                address.getHostAddress(), "")).toArray(DnsRecord[]::new));
        if (answer instanceof DnsAnswer.TemporaryFailure<InetAddress> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        if (answer instanceof DnsAnswer.NotFound<InetAddress>) {
            return new DnsFinding(check, Status.MISSING, host.hostname() + " has no address",
                host.addresses().isEmpty() ? "publish an A (and AAAA) record with the server's public address" : fix);
        }
        List<InetAddress> found = ((DnsAnswer.Found<InetAddress>) answer).values();
        String listed = String.join(", ", found.stream().map(InetAddress::getHostAddress).toList());
        if (host.addresses().isEmpty()) {
            return new DnsFinding(check, Status.UNKNOWN, listed + " (this server's own public address is not known:"
                + " run with --address to compare)", "");
        }
        List<InetAddress> absent = host.addresses().stream().filter(address -> !found.contains(address)).toList();
        if (absent.isEmpty()) {
            return DnsFinding.ok(check, listed);
        }
        return new DnsFinding(check, Status.WRONG, listed + ", without " + String.join(", ",
            absent.stream().map(InetAddress::getHostAddress).toList()), fix);
    }

    private DnsFinding reverse(MailHost host, InetAddress address) {
        String check = "reverse DNS " + address.getHostAddress();
        String fix = "ask your hosting provider to set the PTR record of " + address.getHostAddress() + " to "
            + host.hostname();
        DnsAnswer<String> answer = dns.ptr(address);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        if (answer instanceof DnsAnswer.NotFound<String>) {
            return new DnsFinding(check, Status.MISSING, "no PTR record", fix);
        }
        List<String> names = ((DnsAnswer.Found<String>) answer).values();
        if (!names.contains(host.hostname())) {
            return new DnsFinding(check, Status.WRONG, "names " + String.join(", ", names) + ", not " + host.hostname(), fix);
        }
        // forward-confirmed: the name the PTR gives leads back to the address
        if (dns.addresses(host.hostname(), IpPreference.PREFER_IPV4) instanceof DnsAnswer.Found<InetAddress> forward
                && forward.values().contains(address)) {
            return DnsFinding.ok(check, host.hostname() + ", which leads back to it");
        }
        return new DnsFinding(check, Status.WRONG, "names " + host.hostname() + ", whose A/AAAA records do not include it",
            "publish " + host.hostname() + " with address " + address.getHostAddress());
    }

    private DnsFinding spf(String check, String name, String mailFrom, MailHost host, DnsRecord wanted) {
        String fix = publish(wanted);
        DnsAnswer<String> answer = dns.txt(name);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        List<String> records = tagged(answer, "v=spf1");
        if (records.isEmpty()) {
            return new DnsFinding(check, Status.MISSING, "no SPF record", fix);
        }
        if (records.size() > 1) {
            return new DnsFinding(check, Status.WRONG, records.size() + " SPF records (receivers treat that as an error)",
                "keep one; " + fix);
        }
        if (host.addresses().isEmpty()) {
            return new DnsFinding(check, Status.UNKNOWN, "\"" + records.get(0) + "\"; whether it lets this server send is"
                + " not known without its address (--address)", "");
        }
        List<String> failing = new ArrayList<>();
        for (InetAddress address : host.addresses()) {
            SpfResult result = spf.check(address, mailFrom, host.hostname());
            if (result.status() == SpfResult.Status.TEMPERROR) {
                return new DnsFinding(check, Status.UNKNOWN, "\"" + records.get(0) + "\": " + result.explanation(), "");
            }
            if (result.status() != SpfResult.Status.PASS) {
                failing.add(address.getHostAddress() + " gets " + result.status());
            }
        }
        if (failing.isEmpty()) {
            return DnsFinding.ok(check, "\"" + records.get(0) + "\" lets this server send");
        }
        return new DnsFinding(check, Status.WRONG, "\"" + records.get(0) + "\": " + String.join(", ", failing),
            "make it include this server (mx, or ip4:/ip6: with its address); " + fix);
    }

    private DnsFinding dkim(DomainKeys.Info key) {
        String check = "DKIM " + key.selector() + " (" + key.algorithm() + ", " + key.state() + ")";
        String fix = publish(new DnsRecord(key.dnsName() + ".", "TXT", ZoneText.quoted(key.record()), ""));
        DnsAnswer<String> answer = dns.txt(key.dnsName());
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        List<String> records = answer instanceof DnsAnswer.Found<String> found ? found.values() : List.of();
        if (records.isEmpty()) {
            return new DnsFinding(check, Status.MISSING, "no record at " + key.dnsName(), fix);
        }
        String ours = tag(key.record(), "p").orElse("");
        for (String record : records) {
            if (tag(record, "p").map(ours::equals).orElse(false)) {
                return DnsFinding.ok(check, key.dnsName() + " holds the key");
            }
        }
        String seen = tag(records.get(0), "p").orElse("");
        String why = seen.isEmpty() ? "has no key (p=)"
            : ours.startsWith(seen) ? "holds only the first " + seen.length() + " of the key's " + ours.length()
                + " characters (cut off where a web form split it?)"
            : "holds a different key";
        return new DnsFinding(check, Status.WRONG, key.dnsName() + " " + why, "replace it; " + fix);
    }

    private DnsFinding dmarc(String zone, DnsRecord wanted) {
        String check = "DMARC " + zone;
        String fix = publish(wanted);
        DnsAnswer<String> answer = dns.txt("_dmarc." + zone);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        List<String> records = tagged(answer, "v=DMARC1");
        if (records.isEmpty()) {
            return new DnsFinding(check, Status.MISSING, "no DMARC record", fix);
        }
        if (records.size() > 1) {
            return new DnsFinding(check, Status.WRONG, records.size() + " DMARC records (receivers ignore them all)",
                "keep one; " + fix);
        }
        Optional<String> policy = tag(records.get(0), "p");
        if (policy.isEmpty() || !List.of("none", "quarantine", "reject").contains(policy.get().toLowerCase(Locale.ROOT))) {
            return new DnsFinding(check, Status.WRONG, "\"" + records.get(0) + "\" has no valid p=", fix);
        }
        if (policy.get().equalsIgnoreCase("none")) {
            return DnsFinding.ok(check, "p=none: forged mail is still delivered; move to p=reject once the reports look clean");
        }
        return DnsFinding.ok(check, "p=" + policy.get().toLowerCase(Locale.ROOT));
    }

    private DnsFinding mtaSts(MailHost host, String zone, Map<String, DnsRecord> wanted) {
        String check = "MTA-STS " + zone;
        String fix = publish(wanted.get("_mta-sts." + zone + ". TXT"), wanted.get("mta-sts." + zone + ". CNAME"));
        DnsAnswer<String> answer = dns.txt("_mta-sts." + zone);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        List<String> records = tagged(answer, "v=STSv1");
        if (records.isEmpty()) {
            return new DnsFinding(check, Status.MISSING, "no _mta-sts record (optional: senders then use TLS only"
                + " opportunistically)", fix + "\n  and serve the policy (letterbox dns records " + zone + ")");
        }
        if (records.size() > 1 || tag(records.get(0), "id").isEmpty()) {
            return new DnsFinding(check, Status.WRONG, "the _mta-sts record must be one, with an id", fix);
        }
        if (!(dns.addresses("mta-sts." + zone, IpPreference.PREFER_IPV4) instanceof DnsAnswer.Found<InetAddress>)) {
            return new DnsFinding(check, Status.WRONG, "_mta-sts is published, but mta-sts." + zone + " has no address",
                publish(wanted.get("mta-sts." + zone + ". CNAME")));
        }
        if (mtaSts.isEmpty()) {
            return DnsFinding.ok(check, "id=" + tag(records.get(0), "id").get());
        }
        Optional<MtaStsPolicy> policy = mtaSts.get().policy(zone);
        String url = "https://mta-sts." + zone + "/.well-known/mta-sts.txt";
        if (policy.isEmpty()) {
            return new DnsFinding(check, Status.WRONG, "_mta-sts is published, but no valid policy could be fetched"
                + " from " + url, "serve the policy there (letterbox dns records " + zone + "), or remove the _mta-sts record");
        }
        if (!policy.get().allows(host.hostname())) {
            return new DnsFinding(check, Status.WRONG, "the policy at " + url + " does not name " + host.hostname()
                + " (mx: " + String.join(", ", policy.get().mx()) + "): senders that honour it will not deliver here",
                "add mx: " + host.hostname() + " to the policy and change the id in _mta-sts." + zone);
        }
        return DnsFinding.ok(check, policy.get().mode().toString().toLowerCase(Locale.ROOT) + ", names " + host.hostname());
    }

    private DnsFinding tlsRpt(String zone, DnsRecord wanted) {
        String check = "TLS-RPT " + zone;
        DnsAnswer<String> answer = dns.txt("_smtp._tls." + zone);
        if (answer instanceof DnsAnswer.TemporaryFailure<String> failure) {
            return new DnsFinding(check, Status.UNKNOWN, failure.reason(), "");
        }
        List<String> records = tagged(answer, "v=TLSRPTv1");
        if (records.isEmpty()) {
            return new DnsFinding(check, Status.MISSING, "no TLS-RPT record (optional: reports of TLS failures)", publish(wanted));
        }
        if (records.size() > 1 || tag(records.get(0), "rua").isEmpty()) {
            return new DnsFinding(check, Status.WRONG, "the TLS-RPT record must be one, with rua=", publish(wanted));
        }
        return DnsFinding.ok(check, "reports to " + tag(records.get(0), "rua").get());
    }

    /** The TXT records that start with {@code version} (and a space, a semicolon or nothing after it). */
    private static List<String> tagged(DnsAnswer<String> answer, String version) {
        if (!(answer instanceof DnsAnswer.Found<String> found)) {
            return List.of();
        }
        return found.values().stream().filter(text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            String start = version.toLowerCase(Locale.ROOT);
            return lower.equals(start) || lower.startsWith(start + " ") || lower.startsWith(start + ";");
        }).toList();
    }

    /** A tag's value in a {@code tag=value; ...} record, whitespace removed (RFC 6376 §3.2). */
    static Optional<String> tag(String record, String name) {
        for (String part : record.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().equalsIgnoreCase(name)) {
                return Optional.of(part.substring(equals + 1).replaceAll("\\s+", ""));
            }
        }
        return Optional.empty();
    }
}
