package org.letterbox.net.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueTest {

    @Test
    void spacesLineBreaksNulAndBackslashesAreEscapedSoNoFieldCanBeForged() {
        assertThat(LogValue.escape("x ip=198.51.100.7")).isEqualTo("x\\x20ip=198.51.100.7");
        assertThat(LogValue.escape("a\r\nauth failed: ip=1.2.3.4")).isEqualTo("a\\x0d\\x0aauth\\x20failed:\\x20ip=1.2.3.4");
        assertThat(LogValue.escape("nul\0\\")).isEqualTo("nul\\x00\\x5c");
        assertThat(LogValue.escape("\"quoted\"")).isEqualTo("\\x22quoted\\x22");
        assertThat(LogValue.escape("jürgen\u2028")).isEqualTo("j\\xfcrgen\\u{2028}");
    }

    @Test
    void plainAddressesStayAsTheyAreAndNothingBecomesADash() {
        assertThat(LogValue.escape("alice@example.test")).isEqualTo("alice@example.test");
        assertThat(LogValue.escape(null)).isEqualTo("-");
        assertThat(LogValue.escape("")).isEqualTo("\"\"");
    }

    @Test
    void longValuesAreCutAtTwoHundredFiftyFiveCharacters() {
        String escaped = LogValue.escape("a".repeat(10_000));
        assertThat(escaped).hasSize(258).endsWith("...");
        assertThat(LogValue.escape("\n".repeat(1_000))).hasSizeLessThanOrEqualTo(258);
    }

    @Test
    void aQuotedTextKeepsItsSpacesButCannotEndTheLineOrItsQuotes() {
        assertThat(LogValue.quoted("550 5.1.1 no such user")).isEqualTo("\"550 5.1.1 no such user\"");
        assertThat(LogValue.quoted("x\" delivered=9\r\nfake line")).isEqualTo("\"x\\x22 delivered=9\\x0d\\x0afake line\"");
        assertThat(LogValue.quoted("a".repeat(2000))).hasSizeLessThan(530).endsWith("...\"");
    }
}
