package org.letterbox.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs many in-place TLS upgrades (STARTTLS, STLS) and collects every one that failed, with why. Each upgrade is a
 * fresh connection: the protocol's own steps up to the server's yes, the handshake, then one command inside TLS.
 */
public final class TlsUpgradeRun {

    /** One protocol's dialogue around the handshake. */
    public interface Upgrade {
        /** From the greeting to the positive reply to STARTTLS/STLS; throws if the reply is anything else. */
        void askForTls(LineClient c) throws Exception;

        /** One command inside TLS, checked; throws if its reply is wrong. */
        void commandInsideTls(LineClient c) throws Exception;
    }

    private TlsUpgradeRun() {
    }

    private static String once(int port, Upgrade upgrade) {
        try (LineClient c = LineClient.connect(port)) {
            upgrade.askForTls(c);
            c.startTls();
            upgrade.commandInsideTls(c);
            return null;
        } catch (Exception | AssertionError e) {
            return e.toString();
        }
    }

    /** {@code count} upgrades one after another; the failures, in order. */
    public static List<String> inARow(int port, int count, Upgrade upgrade) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String failure = once(port, upgrade);
            if (failure != null) {
                failures.add("#" + i + ": " + failure);
            }
        }
        return failures;
    }

    /** {@code count} upgrades started together; the failures. */
    public static List<String> together(int port, int count, Upgrade upgrade) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return once(port, upgrade);
                }));
            }
            start.countDown();
            List<String> failures = new ArrayList<>();
            for (Future<String> run : runs) {
                String failure = run.get(60, TimeUnit.SECONDS);
                if (failure != null) {
                    failures.add(failure);
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
