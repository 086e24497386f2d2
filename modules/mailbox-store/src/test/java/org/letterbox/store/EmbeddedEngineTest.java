package org.letterbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine booted ahead of the store (as {@code serve} does while it reads its configuration), and
 * stopped again when the configuration chooses PostgreSQL.
 */
class EmbeddedEngineTest {

    @TempDir
    Path dir;

    @Test
    void aStoreOpensOverAnEngineBootedAheadAndBootingTwiceIsHarmless() {
        MailStore.prepareEmbeddedEngine();
        MailStore.prepareEmbeddedEngine();
        try (MailStore store = MailStore.open(StoreFixture.config(dir))) {
            store.accounts().addDomain("example.test");
            store.createUser("early@example.test", "secret-password");
            assertThat(store.accounts().userExists("early@example.test")).isTrue();
        }
    }

    /** Run in a process of its own: releasing the engine is for good in that process. */
    public static final class ReleaseProbe {
        public static void main(String[] args) {
            MailStore.prepareEmbeddedEngine();
            System.out.println("booted " + derbyDrivers());
            MailStore.releaseEmbeddedEngine();
            System.out.println("released " + derbyDrivers());
        }

        private static long derbyDrivers() {
            return Collections.list(DriverManager.getDrivers()).stream().map(Driver::getClass).map(Class::getName)
                .filter(name -> name.startsWith("org.apache.derby")).count();
        }
    }

    @Test
    void aReleasedEngineLeavesNoDerbyDriverBehind() throws Exception {
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m", "-Dderby.stream.error.file=" + dir.resolve("derby.log"),
            "-cp", System.getProperty("java.class.path"), ReleaseProbe.class.getName())
            .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(line -> line.startsWith("booted ") || line.startsWith("released ")))
            .containsExactly("booted 1", "released 0");
    }
}
