package org.letterbox.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default logging made in code: its line, its levels, when it steps aside, and the example file that matches it. */
class DefaultLoggingTest {

    private static final Path EXAMPLE = Path.of("../../conf/logback.xml.example");
    /** A class loader that sees no logback file. */
    private static final ClassLoader BARE = new URLClassLoader(new URL[0], null);

    @TempDir
    Path dir;

    @Test
    void anEventIsOneLineOnStandardOutputInThePattern() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            DefaultLogging.apply(context);
            context.getLogger("org.letterbox.server.Probe").info("hello {}", "world");
        } finally {
            System.setOut(out);
            context.stop();
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).matches(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[" + Pattern.quote(Thread.currentThread().getName())
                + "\\] o\\.letterbox\\.server\\.Probe - hello world" + Pattern.quote(System.lineSeparator()));
    }

    @Test
    void letterboxLogsAtInfoAndEverythingElseAtWarn() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.apply(context);
        assertThat(context.getLogger("org.letterbox.smtp.transactions").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.apache.james.imap").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.netty").getEffectiveLevel()).isEqualTo(Level.WARN);
        context.stop();
    }

    @Test
    void jspfWarnsOfNoResultThatWeLogAlready() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.apply(context);
        // the logger that wrote a WARN and a stack trace for every message whose sender publishes no SPF record
        Logger spf = context.getLogger("org.apache.james.jspf.impl.SPF");
        assertThat(spf.isWarnEnabled()).isFalse();
        assertThat(spf.isErrorEnabled()).isTrue();
        context.stop();
    }

    @Test
    void itStepsAsideOnlyForAFileThatLogbackCanRead() throws Exception {
        Path file = Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        assertThat(DefaultLogging.aFileIsNamed(file.toString(), BARE)).isTrue();
        assertThat(DefaultLogging.aFileIsNamed("file:/etc/letterbox/logback.xml", BARE)).isTrue();
        // the launcher names conf/logback.xml whether or not it exists
        assertThat(DefaultLogging.aFileIsNamed(dir.resolve("conf/logback.xml").toString(), BARE)).isFalse();
        assertThat(DefaultLogging.aFileIsNamed(null, BARE)).isFalse();
        assertThat(DefaultLogging.aFileIsNamed("bad\0name", BARE)).isFalse();
    }

    @Test
    void theShippedExampleConfiguresWhatTheCodeDoes() throws Exception {
        LoggerContext fromFile = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(fromFile);
        joran.doConfigure(EXAMPLE.toFile());
        LoggerContext fromCode = new LoggerContext();
        DefaultLogging.apply(fromCode);

        for (LoggerContext context : new LoggerContext[] {fromFile, fromCode}) {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.WARN);
            assertThat(context.getLogger("org.letterbox").getLevel()).isEqualTo(Level.INFO);
            ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("CONSOLE");
            assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(DefaultLogging.PATTERN);
            assertThat(context.getLoggerList()).filteredOn(logger -> logger.getLevel() != null)
                .extracting(Logger::getName).containsExactlyInAnyOrder(Logger.ROOT_LOGGER_NAME, "org.letterbox", DefaultLogging.JSPF);
            assertThat(context.getLogger(DefaultLogging.JSPF).getLevel()).isEqualTo(Level.ERROR);
            context.stop();
        }
    }
}
