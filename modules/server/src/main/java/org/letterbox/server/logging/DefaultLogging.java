package org.letterbox.server.logging;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The default logging, made in code: one line per event on standard output, Letterbox at INFO, jSPF at ERROR,
 * everything else at WARN. Logback finds it through its service loader and runs it before its own configurators.
 * When the file that {@code -Dlogback.configurationFile} names exists (the launcher names {@code conf/logback.xml},
 * which the distribution ships as {@code conf/logback.xml.example}), or a {@code logback-test.xml} or
 * {@code logback.xml} is on the class path, it steps aside and logback reads that file. It does in code what that XML would, without
 * logback's XML machinery: about 600 classes and a fifth of a second of CPU at every start.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    /** The line: time, level, thread, logger (abbreviated to 24 characters), message. */
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";

    /** jSPF's loggers, at ERROR: the SPF result of each message is in our own transaction line. */
    public static final String JSPF = "org.apache.james.jspf";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (aFileIsNamed(System.getProperty("logback.configurationFile"), DefaultLogging.class.getClassLoader())) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether logback has a file of its own to read: {@code named} (a path, a URL or a resource), or one on the class path. */
    static boolean aFileIsNamed(String named, ClassLoader loader) {
        if (named != null && !named.isBlank()
            && (named.contains(":/") || isFile(named) || onClassPath(loader, named))) {
            return true;
        }
        return onClassPath(loader, "logback-test.xml") || onClassPath(loader, "logback.xml");
    }

    /** Sets {@code context} up as described above. */
    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.getLogger("org.letterbox").setLevel(Level.INFO);
        // jSPF warns, with a stack trace, of every result but pass (none, neutral, fail...): ours is in the transaction line
        context.getLogger(JSPF).setLevel(Level.ERROR);
    }

    private static boolean isFile(String name) {
        try {
            return Files.exists(Path.of(name));
        } catch (InvalidPathException notAPath) {
            return false;
        }
    }

    private static boolean onClassPath(ClassLoader loader, String resource) {
        return loader != null && loader.getResource(resource) != null;
    }
}
