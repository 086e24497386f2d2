package org.letterbox.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** An ephemeral port on 127.0.0.1 that was free a moment ago. */
public final class FreePort {
    private FreePort() {
    }

    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
