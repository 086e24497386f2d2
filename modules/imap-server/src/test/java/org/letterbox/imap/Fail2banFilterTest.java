package org.letterbox.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;

/**
 * The fail2ban filter of {@code docs/operations.md}, run by Debian's {@code fail2ban-regex} over the auth log as the
 * shipped logging writes it (the pattern of {@code conf/logback.xml.example}, which the server's {@code DefaultLogging}
 * is checked to match), after logins whose user names try to forge a second IP and a second line: only the real
 * client's IP matches, once per failure.
 */
class Fail2banFilterTest {

    private static final Path FAIL2BAN_REGEX = Path.of("/usr/bin/fail2ban-regex");

    @TempDir
    Path dir;

    @Test
    void forgedUserNamesCannotMakeFail2banBanAnotherAddress() throws Exception {
        assumeTrue(Files.isExecutable(FAIL2BAN_REGEX), "fail2ban-regex is not installed (Debian package fail2ban)");
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "../.."));
        Path log = dir.resolve("letterbox.log");
        FileAppender<ILoggingEvent> file = shippedFormatAppender(root.resolve("conf/logback.xml.example"), log);
        Logger auth = (Logger) LoggerFactory.getLogger("org.letterbox.auth");
        auth.addAppender(file);
        try (ImapFixture fixture = new ImapFixture()) {
            int port = fixture.start(b -> b.failedLoginDelay(java.time.Duration.ofMillis(10)));
            try (ImapClient c = ImapClient.connect(port)) {
                assertThat(ImapClient.tagged(c.command("LOGIN \"x ip=198.51.100.7\" wrong"))).isEqualTo("a1 NO LOGIN failed. Invalid login/password.");
                assertThat(ImapClient.tagged(c.command("LOGIN \"alice failures=1 ip=198.51.100.8\" wrong")))
                    .isEqualTo("a2 NO LOGIN failed. Invalid login/password.");
            }
            byte[] forgedLine = "z\r\n2026-12-02 10:00:00.000 WARN  [t] org.letterbox.auth - auth failed: ip=198.51.100.9 service=imap user=q failures=1"
                .getBytes(StandardCharsets.UTF_8);
            try (ImapClient c = ImapClient.connect(port)) {
                assertThat(ImapClient.tagged(c.commandWithLiteral("LOGIN ", forgedLine, " wrong"))).isEqualTo("a1 NO LOGIN failed. Invalid login/password.");
                assertThat(ImapClient.tagged(c.login("alice@example.test", "alice-pw"))).isEqualTo("a2 OK LOGIN completed.");
            }
        } finally {
            auth.detachAppender(file);
            file.stop();
        }
        Path filter = dir.resolve("letterbox.conf");
        Files.writeString(filter, documentedFilter(root.resolve("docs/operations.md")));
        Process run = new ProcessBuilder(FAIL2BAN_REGEX.toString(), "--out", "ip", log.toString(), filter.toString())
            .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
            .as("IPs fail2ban takes from %s", Files.readString(log))
            .isEqualTo(List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"));
    }

    /** A file appender with the pattern of the shipped logback configuration. */
    private static FileAppender<ILoggingEvent> shippedFormatAppender(Path logbackXml, Path log) throws Exception {
        Matcher pattern = Pattern.compile("<pattern>(.*?)</pattern>").matcher(Files.readString(logbackXml));
        assertThat(pattern.find()).as("a pattern in %s", logbackXml).isTrue();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern.group(1));
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setFile(log.toString());
        file.setEncoder(encoder);
        file.start();
        return file;
    }

    /** The filter file exactly as docs/operations.md gives it. */
    private static String documentedFilter(Path operations) throws Exception {
        String doc = Files.readString(operations);
        int at = doc.indexOf("`/etc/fail2ban/filter.d/letterbox.conf`");
        assertThat(at).as("the fail2ban filter section of %s", operations).isPositive();
        int start = doc.indexOf("```\n", at) + 4;
        return doc.substring(start, doc.indexOf("```", start));
    }
}
