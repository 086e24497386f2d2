package org.letterbox.dns;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks DNS what outbound delivery needs to know. Every method blocks for at most the resolver's timeout (times its
 * retries) and never throws for a DNS problem: it answers {@link DnsAnswer.TemporaryFailure} or
 * {@link MxAnswer.TemporaryFailure} instead.
 */
public final class Dns {

    /** How many CNAMEs a name may lead through before the answer counts as broken. */
    private static final int MAX_CNAME_HOPS = 8;

    /** The longest an answer is kept: a record's own TTL when shorter. Not-found answers are kept a minute at most. */
    static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration NEGATIVE_CACHE_TTL = Duration.ofMinutes(1);
    static final int MAX_CACHED = 10_000;

    private final Resolver resolver;
    private final Duration timeout;
    private final Random random;
    private record Cached(DnsAnswer<?> answer, long expires) {
    }

    private final java.util.Map<String, Cached> cache = java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Cached> eldest) {
                return size() > MAX_CACHED;
            }
        });

    /**
     * @param resolver the resolver every question goes to (a validating one when DNSSEC is wanted)
     * @param timeout the longest wait for one answer, retries included
     * @param random orders MX hosts of equal preference
     */
    public Dns(Resolver resolver, Duration timeout, Random random) {
        this.resolver = resolver;
        this.timeout = timeout;
        this.random = random;
    }

    /**
     * A resolver asking {@code servers} in turn ({@code host:port}; empty: the system's own resolvers from
     * {@code /etc/resolv.conf}), each with {@code timeout}.
     */
    public static Resolver resolver(List<InetSocketAddress> servers, Duration timeout) {
        ExtendedResolver extended;
        if (servers.isEmpty()) {
            extended = new ExtendedResolver();
        } else {
            List<Resolver> each = new ArrayList<>();
            for (InetSocketAddress server : servers) {
                SimpleResolver simple = new SimpleResolver(server);
                simple.setTimeout(timeout);
                each.add(simple);
            }
            extended = new ExtendedResolver(each);
        }
        extended.setTimeout(timeout);
        extended.setRetries(2);
        return extended;
    }

    /** Parses a {@code dns.servers} entry: {@code host}, {@code host:port}, {@code [v6]:port}. */
    public static InetSocketAddress server(String text) {
        String host = text.trim();
        int port = 53;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has no closing ]");
            }
            if (close + 1 < host.length()) {
                port = port(text, host.substring(close + 2));
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = port(text, host.substring(host.indexOf(':') + 1));
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address: " + e.getMessage());
        }
    }

    private static int port(String text, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid port");
        }
    }

    /** Where mail for {@code domain} goes. */
    public MxAnswer mx(String domain) {
        DnsAnswer<MXRecord> answer = query(domain, Type.MX, MXRecord.class::cast);
        if (answer instanceof DnsAnswer.TemporaryFailure<MXRecord> failure) {
            return new MxAnswer.TemporaryFailure(failure.reason());
        }
        if (answer instanceof DnsAnswer.NotFound<MXRecord> notFound) {
            if (!notFound.nameExists()) {
                return new MxAnswer.NoSuchDomain(domain);
            }
            return new MxAnswer.Hosts(List.of(new MxHost(ascii(domain), 0, true)), notFound.secure());
        }
        DnsAnswer.Found<MXRecord> found = (DnsAnswer.Found<MXRecord>) answer;
        List<MXRecord> real = new ArrayList<>();
        for (MXRecord record : found.values()) {
            if (!record.getTarget().equals(Name.root)) {
                real.add(record);
            }
        }
        if (real.isEmpty()) {
            return new MxAnswer.NullMx(domain);
        }
        Collections.shuffle(real, random);
        real.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<MxHost> hosts = new ArrayList<>();
        for (MXRecord record : real) {
            hosts.add(new MxHost(hostName(record.getTarget()), record.getPriority(), false));
        }
        return new MxAnswer.Hosts(hosts, found.secure());
    }

    /**
     * The addresses of {@code host} that {@code preference} allows, in its order. A family that cannot be looked up
     * while the other answers is left out; the answer is a temporary failure only when no family answered.
     */
    public DnsAnswer<InetAddress> addresses(String host, IpPreference preference) {
        List<InetAddress> found = new ArrayList<>();
        boolean secure = true;
        String failure = null;
        boolean anyNameExists = false;
        boolean anyFound = false;
        List<DnsAnswer<InetAddress>> answers = new ArrayList<>();
        if (preference.wantsV4()) {
            answers.add(query(host, Type.A, record -> ((ARecord) record).getAddress()));
        }
        if (preference.wantsV6()) {
            answers.add(query(host, Type.AAAA, record -> ((AAAARecord) record).getAddress()));
        }
        for (DnsAnswer<InetAddress> answer : answers) {
            if (answer instanceof DnsAnswer.Found<InetAddress> values) {
                found.addAll(values.values());
                secure &= values.secure();
                anyFound = true;
            } else if (answer instanceof DnsAnswer.NotFound<InetAddress> none) {
                anyNameExists |= none.nameExists();
                secure &= none.secure();
            } else {
                failure = ((DnsAnswer.TemporaryFailure<InetAddress>) answer).reason();
            }
        }
        if (anyFound) {
            return new DnsAnswer.Found<>(preference.order(found), secure);
        }
        if (failure != null) {
            return new DnsAnswer.TemporaryFailure<>(failure);
        }
        return new DnsAnswer.NotFound<>(host, anyNameExists, secure);
    }

    /** The TXT records of {@code name}, each one string (its parts joined, as RFC 7208 and RFC 8461 read them). */
    public DnsAnswer<String> txt(String name) {
        return query(name, Type.TXT, record -> String.join("", ((TXTRecord) record).getStrings()));
    }

    /** The names the reverse DNS (PTR records) gives for {@code address}, lower case, without the trailing dot. */
    public DnsAnswer<String> ptr(InetAddress address) {
        String name = org.xbill.DNS.ReverseMap.fromAddress(address).toString(true);
        return query(name, Type.PTR, record -> hostName(((org.xbill.DNS.PTRRecord) record).getTarget()));
    }

    /**
     * The records of {@code type} (A, AAAA, MX, PTR, TXT) at {@code name} in presentation form, cached as every answer:
     * an address, an MX or PTR target (lower case, no trailing dot), a TXT record's strings joined. For SPF, whose
     * library asks by record type.
     */
    public DnsAnswer<String> strings(String name, int type) {
        Function<Record, String> text = switch (type) {
            case Type.A -> record -> ((ARecord) record).getAddress().getHostAddress();
            case Type.AAAA -> record -> ((AAAARecord) record).getAddress().getHostAddress();
            case Type.MX -> record -> hostName(((MXRecord) record).getTarget());
            case Type.PTR -> record -> hostName(((org.xbill.DNS.PTRRecord) record).getTarget());
            case Type.TXT -> record -> String.join("", ((TXTRecord) record).getStrings());
            default -> throw new IllegalArgumentException("no presentation for type " + Type.string(type));
        };
        return query(name, type, text, "text");
    }

    /** The TLSA records of {@code name} (for example {@code _25._tcp.mx.example.com}). */
    public DnsAnswer<TLSARecord> tlsa(String name) {
        return query(name, Type.TLSA, TLSARecord.class::cast);
    }

    /**
     * Asks for records of {@code type} at {@code name}, following CNAMEs (those in the answer, then new questions
     * for a chain the answer leaves unfinished).
     */
    <T> DnsAnswer<T> query(String name, int type, Function<Record, T> convert) {
        return query(name, type, convert, "");
    }

    /** The same, cached apart under {@code view}: one record set may be asked for as different Java types. */
    @SuppressWarnings("unchecked")
    <T> DnsAnswer<T> query(String name, int type, Function<Record, T> convert, String view) {
        String key = name.toLowerCase(Locale.ROOT) + "/" + type + "/" + view;
        Cached cached = cache.get(key);
        if (cached != null && cached.expires() - System.nanoTime() > 0) {
            return (DnsAnswer<T>) cached.answer();
        }
        long[] ttl = {MAX_CACHE_TTL.toSeconds()};
        DnsAnswer<T> answer = ask(name, type, record -> {
            ttl[0] = Math.min(ttl[0], record.getTTL());
            return convert.apply(record);
        });
        long seconds = answer instanceof DnsAnswer.Found<T> ? ttl[0]
            : answer instanceof DnsAnswer.NotFound<T> ? NEGATIVE_CACHE_TTL.toSeconds() : 0;
        if (seconds > 0) {
            cache.put(key, new Cached(answer, System.nanoTime() + seconds * 1_000_000_000L));
        }
        return answer;
    }

    /** Asks the resolver, no cache. */
    private <T> DnsAnswer<T> ask(String name, int type, Function<Record, T> convert) {
        Name current;
        try {
            current = Name.fromString(ascii(name) + ".");
        } catch (TextParseException | IllegalArgumentException e) {
            return new DnsAnswer.NotFound<>(name, false, false);
        }
        boolean secure = true;
        for (int question = 0; question <= MAX_CNAME_HOPS; question++) {
            Message response;
            try {
                Message query = Message.newQuery(Record.newRecord(current, type, DClass.IN));
                response = resolver.sendAsync(query).toCompletableFuture()
                    .get(timeout.toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new DnsAnswer.TemporaryFailure<>("interrupted while asking for " + Type.string(type) + " of " + name);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                return new DnsAnswer.TemporaryFailure<>("no DNS answer for " + Type.string(type) + " of " + name
                    + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            }
            int rcode = response.getRcode();
            secure &= response.getHeader().getFlag(Flags.AD);
            if (rcode == Rcode.NXDOMAIN) {
                return new DnsAnswer.NotFound<>(name, false, secure);
            }
            if (rcode != Rcode.NOERROR) {
                return new DnsAnswer.TemporaryFailure<>("DNS answered " + Rcode.string(rcode) + " for "
                    + Type.string(type) + " of " + name);
            }
            List<Record> answers = response.getSection(Section.ANSWER);
            Name asked = current;
            boolean askAgain = false;
            for (int hop = 0; hop <= MAX_CNAME_HOPS && !askAgain; hop++) {
                List<T> values = new ArrayList<>();
                Name alias = null;
                boolean anyForCurrent = false;
                for (Record record : answers) {
                    if (!record.getName().equals(current)) {
                        continue;
                    }
                    anyForCurrent = true;
                    if (record.getType() == type) {
                        values.add(convert.apply(record));
                    } else if (record.getType() == Type.CNAME) {
                        alias = ((CNAMERecord) record).getTarget();
                    }
                }
                if (!values.isEmpty()) {
                    return new DnsAnswer.Found<>(values, secure);
                }
                if (alias != null) {
                    current = alias;
                } else if (!anyForCurrent && !current.equals(asked)) {
                    // the resolver did not follow the chain to its end: ask for the last name it named
                    askAgain = true;
                } else {
                    return new DnsAnswer.NotFound<>(name, true, secure);
                }
            }
            if (!askAgain) {
                break;
            }
        }
        return new DnsAnswer.TemporaryFailure<>("CNAME chain of " + name + " is longer than " + MAX_CNAME_HOPS);
    }

    /** A domain in its ASCII (A-label) form, lower case, without a trailing dot. */
    public static String ascii(String domain) {
        String bare = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return IDN.toASCII(bare, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    private static String hostName(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
