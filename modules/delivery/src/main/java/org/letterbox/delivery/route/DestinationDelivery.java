package org.letterbox.delivery.route;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.letterbox.delivery.client.Capabilities;
import org.letterbox.delivery.client.Envelope;
import org.letterbox.delivery.client.MessageContent;
import org.letterbox.delivery.client.MessageTransfer;
import org.letterbox.delivery.client.SmtpConnection;
import org.letterbox.delivery.client.SmtpReply;
import org.letterbox.delivery.client.SmtpTimeouts;
import org.letterbox.dns.Dns;
import org.letterbox.dns.DnsAnswer;
import org.letterbox.dns.IpPreference;
import org.letterbox.dns.MxAnswer;
import org.letterbox.dns.MxHost;
import org.letterbox.delivery.tls.TlsContexts;
import org.letterbox.delivery.tls.TlsPolicies;
import org.letterbox.delivery.tls.TlsPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one message to the recipients it has in one destination domain: finds the hosts (the smarthost, or the
 * MX hosts in order), and tries them, and their addresses, until one holds a transaction. A host that cannot be
 * reached, greets with an error, or fails the TLS its policy demands is passed over for the next; a reply inside
 * the transaction is that attempt's result. When no host will do, every recipient is deferred with what went wrong
 * at each.
 */
public final class DestinationDelivery implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(DestinationDelivery.class);
    /** Most addresses tried in one attempt, over all hosts (Postfix tries 5). */
    static final int MAX_ADDRESSES = 5;

    /**
     * How the deliverer reaches the world.
     *
     * @param hostname our name in EHLO
     * @param mxPort the port of MX hosts (25; tests use another)
     * @param sourceAddresses local addresses to connect from, one per family; empty for the system's choice
     */
    public record Settings(String hostname, int mxPort, IpPreference ipPreference, List<InetAddress> sourceAddresses,
                           SmtpTimeouts timeouts) {
        public Settings {
            sourceAddresses = List.copyOf(sourceAddresses);
        }
    }

    /** The results of one attempt, a result per recipient. */
    public record Attempt(Map<String, RecipientResult> results) {
        public Attempt {
            results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
        }
    }

    private final Settings settings;
    private final Dns dns;
    private final TlsPolicies policies;
    private final TlsContexts contexts;
    private final SelfCheck self;
    private final Optional<Smarthost> smarthost;
    private final ConnectionCache connections = new ConnectionCache();

    public DestinationDelivery(Settings settings, Dns dns, TlsPolicies policies, TlsContexts contexts, SelfCheck self,
                               Optional<Smarthost> smarthost) {
        this.settings = settings;
        this.dns = dns;
        this.policies = policies;
        this.contexts = contexts;
        this.self = self;
        this.smarthost = smarthost;
    }

    /** One host to try, with the port and TLS that apply to it. */
    private record Target(String name, int port, TlsPolicy policy, boolean implicitTls, boolean relay) {
    }

    /**
     * Delivers {@code content} to {@code envelope}'s recipients, all in {@code domain}; {@code attempts} is how many
     * attempts the message has had before (a smarthost may be used only after some).
     */
    public Attempt deliver(String domain, int attempts, Envelope envelope, MessageContent content) {
        boolean relayed = smarthost.isPresent() && smarthost.get().appliesTo(domain, attempts);
        String key = relayed ? "smarthost" : Dns.ascii(domain);
        Optional<Attempt> reused = overCachedConnection(key, envelope, content);
        if (reused.isPresent()) {
            return reused.get();
        }
        List<Target> targets = new ArrayList<>();
        if (relayed) {
            Smarthost relay = smarthost.get();
            TlsPolicy.Verification check = relay.verifyCertificate()
                ? new TlsPolicy.WebPki(relay.host()) : new TlsPolicy.AnyCertificate();
            targets.add(new Target(relay.host(), relay.port(), new TlsPolicy.Required(check, "smarthost", false),
                relay.implicitTls(), true));
        } else {
            MxAnswer mx = dns.mx(domain);
            if (mx instanceof MxAnswer.NullMx) {
                return everyone(envelope, RecipientResult.failed(556, "5.1.10",
                    "the domain " + domain + " accepts no mail (null MX, RFC 7505)"));
            }
            if (mx instanceof MxAnswer.NoSuchDomain) {
                return everyone(envelope, RecipientResult.failed(550, "5.1.2", "the domain " + domain + " does not exist"));
            }
            if (mx instanceof MxAnswer.TemporaryFailure failure) {
                return everyone(envelope, RecipientResult.deferred("4.4.3", "cannot find the mail servers of " + domain
                    + ": " + failure.reason()));
            }
            MxAnswer.Hosts hosts = (MxAnswer.Hosts) mx;
            TlsPolicies.DomainTls domainTls = policies.forDomain(domain);
            for (MxHost host : hosts.hosts()) {
                targets.add(new Target(host.name(), settings.mxPort(), policies.forHost(domainTls, host, hosts.secure()),
                    false, false));
            }
        }
        List<String> problems = new ArrayList<>();
        int addressesTried = 0;
        for (Target target : targets) {
            if (target.policy() instanceof TlsPolicy.Unusable unusable) {
                problems.add(unusable.reason());
                continue;
            }
            DnsAnswer<InetAddress> addresses = dns.addresses(target.name(), settings.ipPreference());
            if (addresses instanceof DnsAnswer.TemporaryFailure<InetAddress> failure) {
                problems.add(target.name() + ": " + failure.reason());
                continue;
            }
            if (addresses instanceof DnsAnswer.NotFound<InetAddress>) {
                problems.add(target.name() + ": no address");
                continue;
            }
            for (InetAddress address : ((DnsAnswer.Found<InetAddress>) addresses).values()) {
                if (addressesTried++ >= MAX_ADDRESSES) {
                    break;
                }
                InetSocketAddress peer = new InetSocketAddress(address, target.port());
                if (self.isSelf(peer)) {
                    String problem = "configuration error: " + target.name() + " " + endpoint(peer) + " is this server itself;"
                        + " add " + domain + " to the local domains, or correct its MX records";
                    LOGGER.error("delivery: {}", problem);
                    problems.add(problem);
                    continue;
                }
                Optional<Attempt> done = tryHost(key, target, peer, envelope, content, problems);
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
        if (targets.isEmpty()) {
            problems.add("no host to try");
        }
        return everyone(envelope, RecipientResult.deferred("4.4.1", "no server of " + domain + " took the message: "
            + String.join("; ", problems)));
    }

    /**
     * The message over a connection a previous transaction to the same destination left open; empty when there is
     * none, or none still answers. A peer without PIPELINING is asked RSET first, to see that it is still there; with
     * PIPELINING the transaction itself is the check (nothing is delivered by a connection that fails before its
     * replies come), which saves a round trip per message.
     */
    private Optional<Attempt> overCachedConnection(String key, Envelope envelope, MessageContent content) {
        Optional<ConnectionCache.Cached> cached;
        while ((cached = connections.take(key)).isPresent()) {
            ConnectionCache.Cached open = cached.get();
            try {
                if (!open.peer().pipelining() && open.connection().command("RSET").code() != 250) {
                    open.connection().quit();
                    continue;
                }
                MessageTransfer.Result result = MessageTransfer.send(open.connection(), open.peer(), envelope, content);
                keepOrQuit(key, open.connection(), open.peer(), open.hop(), open.uses() + 1, result);
                return Optional.of(attempt(result, open.hop()));
            } catch (IOException e) {
                // gone while idle, or broke now: a fresh connection is made
                open.connection().close();
            }
        }
        return Optional.empty();
    }

    private void keepOrQuit(String key, SmtpConnection connection, Capabilities peer, Hop hop, int uses,
                            MessageTransfer.Result result) {
        if (result.replies().values().stream().anyMatch(reply -> reply.code() == 421)) {
            connection.quit();
        } else {
            connections.give(key, connection, peer, hop, uses);
        }
    }

    private static Attempt attempt(MessageTransfer.Result result, Hop hop) {
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        result.replies().forEach((recipient, reply) -> results.put(recipient, RecipientResult.of(reply, Optional.of(hop))));
        return new Attempt(results);
    }

    private Optional<Attempt> tryHost(String key, Target target, InetSocketAddress peer, Envelope envelope,
                                      MessageContent content, List<String> problems) {
        TlsPolicy policy = target.policy();
        boolean plainRetry = false;
        for (int round = 0; round < 3; round++) {
            SmtpConnection connection = null;
            try {
                connection = SmtpConnection.open(peer, source(peer), settings.timeouts());
                Optional<SmtpConnection.TlsInfo> tls = Optional.empty();
                if (target.implicitTls()) {
                    tls = Optional.of(handshake(connection, target, policy));
                }
                SmtpReply greeting = connection.greeting();
                if (!greeting.positive()) {
                    problems.add(target.name() + " " + endpoint(peer) + " greeted with " + greeting);
                    connection.quit();
                    return Optional.empty();
                }
                if (!greeting.lines().isEmpty() && self.greetsAsUs(greeting.lines().get(0))) {
                    String problem = "configuration error: " + target.name() + " " + endpoint(peer) + " greets with our own name;"
                        + " mail to it would loop";
                    LOGGER.error("delivery: {}", problem);
                    problems.add(problem);
                    connection.quit();
                    return Optional.empty();
                }
                Capabilities peerCaps = hello(connection);
                if (peerCaps == null) {
                    problems.add(target.name() + " " + endpoint(peer) + " refused EHLO and HELO");
                    connection.quit();
                    return Optional.empty();
                }
                boolean wantsTls = !plainRetry && !target.implicitTls() && !(policy instanceof TlsPolicy.Plain);
                boolean mustTls = policy instanceof TlsPolicy.Required required && !required.reportOnly();
                if (wantsTls) {
                    if (!peerCaps.startTls()) {
                        if (mustTls) {
                            problems.add(target.name() + " " + endpoint(peer) + " offers no STARTTLS, which its " + policy.source()
                                + " policy requires");
                            connection.quit();
                            return Optional.empty();
                        }
                        report(policy, target, peer, "offers no STARTTLS");
                    } else {
                        SmtpReply ready = connection.command("STARTTLS");
                        if (ready.code() != 220) {
                            if (mustTls) {
                                problems.add(target.name() + " " + endpoint(peer) + " answered STARTTLS with " + ready);
                                connection.quit();
                                return Optional.empty();
                            }
                            report(policy, target, peer, "answered STARTTLS with " + ready);
                        } else {
                            try {
                                tls = Optional.of(handshake(connection, target, policy));
                            } catch (IOException e) {
                                connection.close();
                                if (mustTls) {
                                    problems.add(target.name() + " " + endpoint(peer) + ": TLS failed (" + policy.source()
                                        + " policy): " + e.getMessage());
                                    return Optional.empty();
                                }
                                report(policy, target, peer, "TLS failed: " + e.getMessage());
                                if (policy instanceof TlsPolicy.Required) {
                                    // a policy in testing mode: try again with TLS that checks nothing
                                    policy = new TlsPolicy.Opportunistic(policy.source() + "-testing");
                                } else {
                                    plainRetry = true;
                                }
                                continue;
                            }
                            peerCaps = hello(connection);
                            if (peerCaps == null) {
                                problems.add(target.name() + " " + endpoint(peer) + " refused EHLO inside TLS");
                                connection.quit();
                                return Optional.empty();
                            }
                        }
                    }
                }
                if (target.relay() && !authenticate(connection, peerCaps, target, peer, problems)) {
                    connection.quit();
                    return Optional.empty();
                }
                Hop hop = new Hop(target.name(), peer, tls);
                MessageTransfer.Result result = MessageTransfer.send(connection, peerCaps, envelope, content);
                keepOrQuit(key, connection, peerCaps, hop, 1, result);
                return Optional.of(attempt(result, hop));
            } catch (IOException e) {
                if (connection != null) {
                    connection.close();
                }
                problems.add(target.name() + " " + endpoint(peer) + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private SmtpConnection.TlsInfo handshake(SmtpConnection connection, Target target, TlsPolicy policy) throws IOException {
        SSLContext context = contexts.anyCertificate();
        boolean checkName = false;
        boolean verified = false;
        if (policy instanceof TlsPolicy.Required required && !required.reportOnly()) {
            if (required.verification() instanceof TlsPolicy.WebPki) {
                context = contexts.webPki();
                checkName = true;
                verified = true;
            } else if (required.verification() instanceof TlsPolicy.Dane dane) {
                context = contexts.dane(dane.records(), dane.hostName());
                verified = true;
            }
        } else if (policy instanceof TlsPolicy.Required required && required.verification() instanceof TlsPolicy.WebPki) {
            // MTA-STS testing: check, but only to report; a failure is retried as opportunistic
            context = contexts.webPki();
            checkName = true;
            verified = true;
        }
        return connection.startTls(context, target.name(), checkName, verified);
    }

    /** {@code [192.0.2.1]:25}: the address without the name the resolver attached to it. */
    static String endpoint(InetSocketAddress peer) {
        return "[" + peer.getAddress().getHostAddress() + "]:" + peer.getPort();
    }

    private static void report(TlsPolicy policy, Target target, InetSocketAddress peer, String what) {
        if (policy instanceof TlsPolicy.Required required && required.reportOnly()) {
            LOGGER.warn("delivery: {} {} {} (the {} policy is in testing mode: sent anyway)", target.name(), endpoint(peer), what,
                policy.source());
        }
    }

    /** EHLO, and HELO when EHLO is refused; null when both are. */
    private Capabilities hello(SmtpConnection connection) throws IOException {
        SmtpReply ehlo = connection.command("EHLO " + settings.hostname());
        if (ehlo.positive()) {
            return Capabilities.of(ehlo);
        }
        SmtpReply helo = connection.command("HELO " + settings.hostname());
        return helo.positive() ? Capabilities.NONE : null;
    }

    private boolean authenticate(SmtpConnection connection, Capabilities peer, Target target, InetSocketAddress address,
                                 List<String> problems) throws IOException {
        Smarthost relay = smarthost.orElseThrow();
        if (relay.username().isEmpty()) {
            return true;
        }
        String user = relay.username().get();
        String password = relay.password().get();
        SmtpReply reply;
        if (peer.authMechanisms().contains("PLAIN") || !peer.authMechanisms().contains("LOGIN")) {
            String token = base64("\0" + user + "\0" + password);
            reply = connection.command("AUTH PLAIN " + token);
        } else {
            reply = connection.command("AUTH LOGIN");
            if (reply.code() == 334) {
                reply = connection.command(base64(user));
            }
            if (reply.code() == 334) {
                reply = connection.command(base64(password));
            }
        }
        if (reply.code() != 235) {
            problems.add("smarthost " + target.name() + " " + endpoint(address) + " refused our login as " + user + ": " + reply);
            return false;
        }
        return true;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<InetAddress> source(InetSocketAddress peer) {
        boolean v4 = peer.getAddress() instanceof java.net.Inet4Address;
        return settings.sourceAddresses().stream()
            .filter(address -> (address instanceof java.net.Inet4Address) == v4)
            .findFirst();
    }

    private static Attempt everyone(Envelope envelope, RecipientResult result) {
        Map<String, RecipientResult> results = new LinkedHashMap<>();
        envelope.recipients().forEach(recipient -> results.put(recipient.address(), result));
        return new Attempt(results);
    }

    /** Says QUIT on every connection kept open. */
    @Override
    public void close() {
        connections.close();
    }
}
