package org.letterbox.server.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.letterbox.testing.ImapSteps;
import org.letterbox.testing.LineClient;

/**
 * Load over TCP against any mail server on this machine (a main, not a test): the same driver runs against the
 * shipped Letterbox distribution and against Dovecot or Postfix, so their figures can be compared as ratios. Users
 * are {@code user<i>@bench.test} with password {@code pw<i>}. Every session logs in, as clients do.
 * <ul>
 * <li>{@code seed PORT FIRST LAST COUNT SIZE}: APPENDs COUNT messages of about SIZE bytes to each user's INBOX;</li>
 * <li>{@code imap PORT FIRST LAST CLIENTS SECONDS}: the IMAP mix, one login per session (LOGIN, SELECT, FETCH
 * headers, FETCH a body, STORE twice, APPEND, STORE \Deleted, EXPUNGE, LOGOUT); prints commands/s;</li>
 * <li>{@code pop3 PORT FIRST LAST CLIENTS SECONDS}: USER/PASS, STAT, UIDL, RETR of every message, QUIT (mail kept);
 * prints sessions/s;</li>
 * <li>{@code smtp PORT USER COUNT CONCURRENCY [SPREAD]}: COUNT messages of 4 KB to USER, a new connection for
 * each; prints messages/s and how many were acknowledged. With SPREAD, {@code {n}} in USER becomes 1 to SPREAD in
 * turn (messages to several destinations);</li>
 * <li>{@code dns PORT DOMAINS MXADDRESS}: serves DNS on 127.0.0.1:PORT (UDP and TCP) until killed, with an MX for
 * {@code dest1.test} to {@code destDOMAINS.test} pointing at MXADDRESS;</li>
 * <li>{@code arrivals PORT USER EXPECTED BEFORE}: polls USER's INBOX until it holds EXPECTED messages more than
 * BEFORE (its count before the sending started); prints the rate from the first arrival to the last;</li>
 * <li>{@code count PORT USER}: the number of messages in USER's INBOX (IMAP STATUS);</li>
 * <li>{@code message FILE}: writes the message the smtp mode sends to FILE, its lines ending in LF, for Postfix's
 * {@code smtp-source -F}, which ends each line with CRLF as it sends it.</li>
 * </ul>
 * Each mode prints one line starting with {@code RESULT}.
 */
public final class WireLoad {

    private WireLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("message")) {
            java.nio.file.Files.write(java.nio.file.Path.of(args[1]),
                new String(smtpMessage(), StandardCharsets.US_ASCII).replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII));
            return;
        }
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "seed" -> seed(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
            case "imap" -> imap(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
            case "pop3" -> pop3(port, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
            case "smtp" -> smtp(port, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                args.length > 5 ? Integer.parseInt(args[5]) : 1);
            case "dns" -> dns(port, Integer.parseInt(args[2]), args[3]);
            case "arrivals" -> arrivals(port, args[2], Long.parseLong(args[3]), Long.parseLong(args[4]));
            case "count" -> System.out.println("RESULT count " + count(port, args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static byte[] message(int size, String subject) {
        // the sender is another domain, as at a real MX: mail from outside that claims one of the server's own
        // domains fails DMARC there and is refused
        StringBuilder text = new StringBuilder("From: load@sender.example\r\nTo: user@bench.test\r\nSubject: " + subject
            + "\r\nDate: Wed, 2 Dec 2026 10:00:00 +0000\r\nMessage-ID: <" + System.nanoTime() + "@sender.example>\r\n\r\n");
        while (text.length() < size) {
            text.append("A line of a message used to measure mail server throughput over TCP.\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The message of the smtp mode: 4 KB, from another domain. */
    private static byte[] smtpMessage() {
        return message(4096, "smtp");
    }

    private static String user(int i) {
        return "user" + i + "@bench.test";
    }

    private static LineClient imapLogin(int port, int i) throws Exception {
        LineClient c = LineClient.connect(port);
        c.timeout(60_000);
        c.readLine();
        ImapSteps.command(c, "a LOGIN " + user(i) + " pw" + i);
        return c;
    }

    private static void seed(int port, int first, int last, int count, int size) throws Exception {
        for (int u = first; u <= last; u++) {
            try (LineClient c = imapLogin(port, u)) {
                for (int i = 0; i < count; i++) {
                    ImapSteps.append(c, message(size, "seed " + i));
                }
                ImapSteps.command(c, "z LOGOUT");
            }
        }
        System.out.println("RESULT seeded " + (last - first + 1) * count);
    }

    private static void imap(int port, int first, int last, int clients, int seconds) throws Exception {
        byte[] message = message(4096, "mix");
        AtomicLong commands = new AtomicLong();
        double elapsed = run(clients, seconds, client -> {
            int u = first + client % (last - first + 1);
            try (LineClient c = imapLogin(port, u)) {
                ImapSteps.command(c, "b SELECT INBOX");
                ImapSteps.command(c, "c FETCH 1:10 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])");
                ImapSteps.command(c, "d FETCH 3 BODY.PEEK[]");
                ImapSteps.command(c, "e STORE 1:5 +FLAGS (\\Seen)");
                ImapSteps.command(c, "f STORE 1:5 -FLAGS (\\Seen)");
                ImapSteps.append(c, message);
                ImapSteps.command(c, "h STORE * +FLAGS (\\Deleted)");
                ImapSteps.command(c, "i EXPUNGE");
                ImapSteps.command(c, "j LOGOUT");
                commands.addAndGet(10);
            }
        });
        System.out.printf("RESULT imap %.0f commands/s (%d commands in %.1f s, %d clients)%n", commands.get() / elapsed,
            commands.get(), elapsed, clients);
    }

    private static void pop3(int port, int first, int last, int clients, int seconds) throws Exception {
        AtomicLong sessions = new AtomicLong();
        double elapsed = run(clients, seconds, client -> {
            int u = first + client % (last - first + 1);
            try (LineClient c = LineClient.connect(port)) {
                c.timeout(60_000);
                expectOk(c.readLine());
                c.send("USER " + user(u));
                expectOk(c.readLine());
                c.send("PASS pw" + u);
                expectOk(c.readLine());
                c.send("STAT");
                String stat = c.readLine();
                expectOk(stat);
                int messages = Integer.parseInt(stat.split(" ")[1]);
                c.send("UIDL");
                expectOk(c.readLine());
                while (!".".equals(c.readLine())) {
                    // one line per message
                }
                for (int i = 1; i <= messages; i++) {
                    c.send("RETR " + i);
                    expectOk(c.readLine());
                    String line;
                    while (!".".equals(line = c.readLine())) {
                        if (line == null) {
                            throw new IllegalStateException("closed during RETR");
                        }
                    }
                }
                c.send("QUIT");
                expectOk(c.readLine());
                sessions.incrementAndGet();
            }
        });
        System.out.printf("RESULT pop3 %.1f sessions/s (%d sessions in %.1f s, %d clients)%n", sessions.get() / elapsed,
            sessions.get(), elapsed, clients);
    }

    private static void dns(int port, int domains, String mxAddress) throws Exception {
        org.letterbox.testing.TestDns dns = org.letterbox.testing.TestDns.start(port);
        dns.a("mx.bench.test", mxAddress);
        for (int i = 1; i <= domains; i++) {
            dns.mx("dest" + i + ".test", 10, "mx.bench.test");
        }
        System.out.println("RESULT dns 127.0.0.1:" + dns.port());
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void arrivals(int port, String user, long expected, long start) throws Exception {
        long first = 0;
        long last = 0;
        long seen = start;
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (seen - start < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = count(port, user);
            if (now > start && first == 0) {
                first = System.nanoTime();
            }
            if (now > seen) {
                last = System.nanoTime();
            }
            seen = now;
        }
        double elapsed = Math.max(1e-3, (last - first) / 1e9);
        System.out.printf("RESULT arrivals %.0f messages/s (%d of %d arrived, %.1f s from the first to the last)%n",
            (seen - start - 1) / elapsed, seen - start, expected, elapsed);
    }

    private static void smtp(int port, String recipientPattern, int count, int concurrency, int spread) throws Exception {
        byte[] message = smtpMessage();
        AtomicLong next = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                long n;
                while ((n = next.getAndIncrement()) < count) {
                    String recipient = recipientPattern.replace("{n}", String.valueOf(n % spread + 1));
                    try (LineClient c = LineClient.connect(port)) {
                        c.timeout(60_000);
                        if (!c.readReply().startsWith("220")
                            || !c.command("EHLO load.sender.example").startsWith("250")
                            || !c.command("MAIL FROM:<load@sender.example>").startsWith("250")
                            || !c.command("RCPT TO:<" + recipient + ">").startsWith("250")
                            || !c.command("DATA").startsWith("354")) {
                            refused.incrementAndGet();
                            continue;
                        }
                        c.sendBytes(message);
                        c.send(".");
                        if (c.readReply().startsWith("250")) {
                            acknowledged.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                        c.command("QUIT");
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("RESULT smtp %.0f messages/s (C=%d, %d acknowledged, %d refused, %.1f s)%n",
            acknowledged.get() / elapsed, concurrency, acknowledged.get(), refused.get(), elapsed);
    }

    private static long count(int port, String user) throws Exception {
        int i = Integer.parseInt(user.substring(4, user.indexOf('@')));
        try (LineClient c = imapLogin(port, i)) {
            c.send("s STATUS INBOX (MESSAGES)");
            String line = c.readLine();
            long messages = Long.parseLong(line.replaceAll(".*MESSAGES (\\d+).*", "$1"));
            c.readLine();
            return messages;
        }
    }

    interface Session {
        void run(int client) throws Exception;
    }

    /** Runs {@code session} in a loop on {@code clients} threads for {@code seconds}; returns the elapsed seconds. */
    private static double run(int clients, int seconds, Session session) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            int client = t;
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    session.run(client);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void expectOk(String line) {
        if (line == null || !line.startsWith("+OK")) {
            throw new IllegalStateException("POP3 answered " + line);
        }
    }
}
