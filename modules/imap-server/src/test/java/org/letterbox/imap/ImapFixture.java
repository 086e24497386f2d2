package org.letterbox.imap;

import org.letterbox.net.TlsMode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.letterbox.store.MailStore;
import org.letterbox.store.StoreFixture;
import org.letterbox.testing.FreePort;
import org.letterbox.testing.TestTls;

/** A fresh store with alice and bob at example.test (default folders provisioned) and IMAP listeners. */
final class ImapFixture implements AutoCloseable {

    final MailStore store;
    final List<AutoCloseable> servers = new ArrayList<>();

    ImapFixture() {
        store = StoreFixture.freshStore();
        store.accounts().addDomain("example.test");
        store.createUser("alice@example.test", "alice-pw");
        store.createUser("bob@example.test", "bob-pw");
    }

    int start(UnaryOperator<ImapSettings.Builder> customize) throws Exception {
        int port = FreePort.next();
        ImapSettings.Builder builder = ImapSettings.builder()
            .address(new InetSocketAddress("127.0.0.1", port))
            .hostname("imap.example.test")
            .tls(TlsMode.STARTTLS, TestTls.serverContext())
            .failedLoginDelay(java.time.Duration.ofMillis(100));
        servers.add(ImapServer.start(customize.apply(builder).build(), store));
        return port;
    }

    int start() throws Exception {
        return start(b -> b);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
        store.close();
    }
}
