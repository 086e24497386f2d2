package org.letterbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Which command lines start the server without the command tree: exactly {@code [-c FILE] serve}, nothing else. */
class ServeCommandLineTest {

    @Test
    void serveAloneOrWithItsConfigurationFileIsTheServersOwnStart() {
        assertThat(LetterboxCommand.serveCommand(new String[] {"serve"})).contains(Path.of("conf/letterbox.yaml"));
        assertThat(LetterboxCommand.serveCommand(new String[] {"-c", "/etc/letterbox.yaml", "serve"}))
            .contains(Path.of("/etc/letterbox.yaml"));
        assertThat(LetterboxCommand.serveCommand(new String[] {"--config", "a.yaml", "serve"})).contains(Path.of("a.yaml"));
        assertThat(LetterboxCommand.serveCommand(new String[] {"--config=b.yaml", "serve"})).contains(Path.of("b.yaml"));
    }

    @Test
    void anythingElseGoesThroughTheCommandTree() {
        assertThat(LetterboxCommand.serveCommand(new String[] {})).isEmpty();
        assertThat(LetterboxCommand.serveCommand(new String[] {"serve", "--help"})).isEmpty();
        assertThat(LetterboxCommand.serveCommand(new String[] {"-c", "serve"})).isEmpty();
        assertThat(LetterboxCommand.serveCommand(new String[] {"user", "add", "serve"})).isEmpty();
        assertThat(LetterboxCommand.serveCommand(new String[] {"--verbose", "serve"})).isEmpty();
    }
}
