package org.rdsreplicator.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTest {

    @Test
    void shortValue_shouldBeKeptAsIs() {
        assertThat(Untrusted.excerpt("orders-db-20261124T093000Z")).isEqualTo("orders-db-20261124T093000Z");
        assertThat(Untrusted.excerpt("x".repeat(Untrusted.MAX_LENGTH))).hasSize(Untrusted.MAX_LENGTH);
    }

    @Test
    void nullValue_shouldStayNull() {
        assertThat(Untrusted.excerpt(null)).isNull();
    }

    @Test
    void oversizedValue_shouldBeCutWithEllipsisAndOriginalLength() {
        String huge = "a".repeat(200 * 1024);

        String e = Untrusted.excerpt(huge);

        assertThat(e).isEqualTo("a".repeat(256) + "…(204800 chars)");
    }

    @Test
    void explicitLimit_shouldBeHonoured() {
        assertThat(Untrusted.excerpt("abcdefgh", 3)).isEqualTo("abc…(8 chars)");
    }

    @Test
    void controlCharacters_shouldNotBreakTheLogLine() {
        assertThat(Untrusted.excerpt("id\nERROR forged line\r\t")).isEqualTo("id?ERROR forged line??");
    }

    @Test
    void cutInsideASurrogatePair_shouldDropTheHalfCharacter() {
        String value = "ab\uD83D\uDE00cd"; // a, b, one emoji (two chars), c, d

        assertThat(Untrusted.excerpt(value, 3)).isEqualTo("ab…(6 chars)");
    }
}
