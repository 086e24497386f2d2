package org.letterbox.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server on loopback for tests, over UDP and TCP on one port: an authoritative answer from the records added
 * to it, CNAMEs followed inside its data, NXDOMAIN for a name it knows nothing of (NODATA for a name that has other
 * records or names below it), SERVFAIL for names told to fail, and UDP answers over 512 bytes truncated (TC) so
 * that the client asks again over TCP. Records can be changed while it runs.
 */
public final class TestDns implements AutoCloseable {

    private static final long TTL = 60;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, CopyOnWriteArrayList<Record>> records = new ConcurrentHashMap<>();
    private final Set<Name> failing = ConcurrentHashMap.newKeySet();
    private final Set<Name> secure = ConcurrentHashMap.newKeySet();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private volatile boolean closed;

    private TestDns(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts a server on 127.0.0.1 at {@code port} (UDP and TCP). */
    public static TestDns start(int port) throws IOException {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress("127.0.0.1", port));
        TestDns dns = new TestDns(udp, tcp);
        dns.serve();
        return dns;
    }

    /** Starts a server on 127.0.0.1, on a port free for both UDP and TCP. */
    public static TestDns start() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = FreePort.next();
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
                ServerSocket tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress("127.0.0.1", port));
                TestDns dns = new TestDns(udp, tcp);
                dns.serve();
                return dns;
            } catch (IOException e) {
                last = e;
                if (udp != null) {
                    udp.close();
                }
            }
        }
        throw last;
    }

    /** The port, the same for UDP and TCP. */
    public int port() {
        return udp.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, as a {@code dns.servers} entry spells it. */
    public String server() {
        return "127.0.0.1:" + port();
    }

    /** Adds any record. */
    public TestDns add(Record record) {
        // a record set holds each record once, as a real zone does
        records.computeIfAbsent(record.getName(), name -> new CopyOnWriteArrayList<>()).addIfAbsent(record);
        return this;
    }

    public TestDns mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, TTL, preference, name(host)));
    }

    public TestDns a(String host, String address) {
        try {
            return add(new ARecord(name(host), DClass.IN, TTL, InetAddress.getByName(address)));
        } catch (IOException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    public TestDns aaaa(String host, String address) {
        try {
            return add(new AAAARecord(name(host), DClass.IN, TTL, InetAddress.getByName(address)));
        } catch (IOException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    public TestDns txt(String name, String... strings) {
        List<String> pieces = new java.util.ArrayList<>();
        for (String string : strings) {
            // A character-string holds at most 255 bytes; long records (DKIM keys) span several.
            for (int start = 0; start < string.length(); start += 255) {
                pieces.add(string.substring(start, Math.min(string.length(), start + 255)));
            }
            if (string.isEmpty()) {
                pieces.add(string);
            }
        }
        return add(new TXTRecord(name(name), DClass.IN, TTL, pieces));
    }

    /** The reverse DNS of {@code address}: a PTR record naming {@code host}. */
    public TestDns ptr(String address, String host) {
        try {
            return add(new org.xbill.DNS.PTRRecord(org.xbill.DNS.ReverseMap.fromAddress(InetAddress.getByName(address)),
                DClass.IN, TTL, name(host)));
        } catch (IOException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    public TestDns cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
    }

    /**
     * Answers about {@code zone} and the names below it carry the AD flag, as a validating resolver sets it for
     * DNSSEC-signed data (for tests of DANE against a resolver that is trusted to validate).
     */
    public TestDns secure(String zone) {
        secure.add(name(zone));
        return this;
    }

    /** Every query on {@code name} is answered SERVFAIL, as by a resolver that cannot reach the zone. */
    public TestDns servfail(String name) {
        failing.add(name(name));
        return this;
    }

    /** Removes every record of {@code name} and its SERVFAIL mark. */
    public TestDns remove(String name) {
        records.remove(name(name));
        failing.remove(name(name));
        return this;
    }

    /** The questions asked so far, as {@code name/TYPE}, in order. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    /** How many questions came over TCP. */
    public int tcpQueries() {
        return tcpQueries.get();
    }

    public static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private void serve() {
        Thread udpThread = new Thread(this::serveUdp, "test-dns-udp-" + port());
        udpThread.setDaemon(true);
        udpThread.start();
        Thread tcpThread = new Thread(this::serveTcp, "test-dns-tcp-" + port());
        tcpThread.setDaemon(true);
        tcpThread.start();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] wire = response.toWire(limit);
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket client = tcp.accept();
                Thread handler = new Thread(() -> serveTcpClient(client), "test-dns-tcp-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcpClient(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                int length = in.readUnsignedShort();
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                tcpQueries.incrementAndGet();
                byte[] wire = answer(new Message(bytes)).toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    private Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (secure.stream().anyMatch(zone -> question.getName().subdomain(zone))) {
            response.getHeader().setFlag(Flags.AD);
        }
        queries.add(question.getName().toString(true) + "/" + Type.string(question.getType()));
        Name name = question.getName();
        int type = question.getType();
        for (int hops = 0; hops < 10; hops++) {
            if (failing.contains(name)) {
                response.getHeader().setRcode(Rcode.SERVFAIL);
                return response;
            }
            List<Record> here = records.containsKey(name) ? records.get(name) : List.of();
            List<Record> wanted = new ArrayList<>();
            Record cname = null;
            for (Record record : here) {
                if (record.getType() == type || type == Type.ANY) {
                    wanted.add(record);
                } else if (record.getType() == Type.CNAME) {
                    cname = record;
                }
            }
            if (!wanted.isEmpty()) {
                wanted.forEach(record -> response.addRecord(record, Section.ANSWER));
                return response;
            }
            if (cname != null) {
                response.addRecord(cname, Section.ANSWER);
                name = ((CNAMERecord) cname).getTarget();
                continue;
            }
            if (here.isEmpty() && !hasNamesBelow(name)) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            return response;
        }
        return response;
    }

    private boolean hasNamesBelow(Name name) {
        for (Name known : records.keySet()) {
            if (known.subdomain(name) && !known.equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
