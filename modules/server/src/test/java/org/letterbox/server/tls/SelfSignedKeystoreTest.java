package org.letterbox.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed keystore: owner-only, under a password of its own installation, and old ones moved to one. */
class SelfSignedKeystoreTest {

    @TempDir
    Path one;
    @TempDir
    Path two;

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void eachInstallationHasItsOwnPasswordAndTheFilesAreOwnerOnly() throws Exception {
        TlsContexts.selfSigned(one, "localhost");
        TlsContexts.selfSigned(two, "localhost");
        Path keystore = one.resolve("tls/self-signed.p12");
        String first = Files.readString(one.resolve("tls/self-signed.pass")).trim();
        String second = Files.readString(two.resolve("tls/self-signed.pass")).trim();
        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(second).isNotEqualTo("letterbox");
        assertThat(load(keystore, first.toCharArray()).getCertificate("server")).isNotNull();
        assertThat(mode(keystore)).isEqualTo("rw-------");
        assertThat(mode(one.resolve("tls/self-signed.pass"))).isEqualTo("rw-------");
        assertThat(mode(one.resolve("tls"))).isEqualTo("rwx------");
    }

    @Test
    void aKeystoreUnderTheOldSharedPasswordIsResavedUnderANewOneAndKeepsItsKey() throws Exception {
        TlsContexts.selfSigned(one, "localhost");
        Path keystore = one.resolve("tls/self-signed.p12");
        char[] own = Files.readString(one.resolve("tls/self-signed.pass")).trim().toCharArray();
        KeyStore store = load(keystore, own);
        Key key = store.getKey("server", own);
        // as an installation from before the password file wrote it
        store.setKeyEntry("server", key, "letterbox".toCharArray(), store.getCertificateChain("server"));
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "letterbox".toCharArray());
        }
        Files.delete(one.resolve("tls/self-signed.pass"));

        TlsContexts.selfSigned(one, "localhost");
        char[] renewed = Files.readString(one.resolve("tls/self-signed.pass")).trim().toCharArray();
        assertThat(new String(renewed)).isNotEqualTo("letterbox");
        assertThat(load(keystore, renewed).getKey("server", renewed)).isEqualTo(key);
        assertThatThrownBy(() -> load(keystore, "letterbox".toCharArray())).isInstanceOf(java.io.IOException.class);
    }
}
