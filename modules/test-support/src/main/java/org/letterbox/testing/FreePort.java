package org.letterbox.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port on 127.0.0.1 that was free a moment ago, for a listener a test is about to start.
 *
 * <p>Ports come from below the kernel's ephemeral range (32768 and up on Linux), walking forward from a random
 * start: a port from the ephemeral range could be taken by any outgoing connection (a test client, the JDK's HTTP
 * client, a child JVM) between this call and the bind, which made start-ups fail now and then with "address in use".
 * Each port is handed out once per JVM, and checked bindable; the ephemeral range is the fallback.
 */
public final class FreePort {
    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST));

    private FreePort() {
    }

    public static int next() {
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
            if (bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
