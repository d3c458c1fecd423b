package org.rdsreplicator.common.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;

class IdentifiersTest {
    static final Instant T = Instant.parse("2026-11-24T09:30:00Z");

    @Test
    void derive_shouldAppendUtcStampAndSuffix() {
        assertThat(Identifiers.derive("orders-db", T, "4469ce")).isEqualTo("orders-db-20261124t093000z-4469ce");
    }

    @Test
    void derive_shouldStripAutomatedSnapshotPrefixAndSanitise() {
        String id = Identifiers.derive("rds:Orders_DB..prod", T, null);
        assertThat(id).isEqualTo("orders-db-prod-20261124t093000z");
        assertThat(Identifiers.isValid(id)).isTrue();
    }

    @Test
    void derive_shouldStartWithALetterAndStayWithin63Characters() {
        String id = Identifiers.derive("9" + "x".repeat(80), T, "abcdef");
        assertThat(id).hasSize(63).startsWith("db-9").endsWith("-20261124t093000z-abcdef");
        assertThat(Identifiers.isValid(id)).isTrue();
    }

    @Test
    void withSuffix_shouldKeepLongNamesDistinct() {
        String a = Identifiers.withSuffix("a".repeat(50) + "-20261124t093000z-111111", "share");
        String b = Identifiers.withSuffix("a".repeat(50) + "-20261124t093000z-222222", "share");
        assertThat(a).isNotEqualTo(b).hasSizeLessThanOrEqualTo(63).endsWith("-share");
        assertThat(Identifiers.isValid(a)).isTrue();
        assertThat(Identifiers.withSuffix("orders-db-20261124t093000z-4469ce", "share"))
                .isEqualTo("orders-db-20261124t093000z-4469ce-share");
    }

    @Test
    void isValid_shouldFollowRdsRules() {
        assertThat(Identifiers.isValid("orders-db")).isTrue();
        assertThat(Identifiers.isValid("1orders")).isFalse();
        assertThat(Identifiers.isValid("orders--db")).isFalse();
        assertThat(Identifiers.isValid("orders-")).isFalse();
        assertThat(Identifiers.isValid("a".repeat(64))).isFalse();
        assertThat(Identifiers.isValid("orders_db")).isFalse();
    }

    @Test
    void requireValid_shouldNameTheFieldInItsError() {
        assertThatThrownBy(() -> Identifiers.requireValid("dbInstanceIdentifier", " "))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dbInstanceIdentifier");
        assertThatThrownBy(() -> Identifiers.requireReplicationId("has space"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(Identifiers.requireReplicationId("orders-db_20261124T093000Z")).isEqualTo("orders-db_20261124T093000Z");
    }

    @Test
    void shortHash_shouldBeStableAndSixHexDigits() {
        assertThat(Identifiers.shortHash("run-1")).isEqualTo(Identifiers.shortHash("run-1")).matches("[0-9a-f]{6}")
                .isNotEqualTo(Identifiers.shortHash("run-2"));
    }
}
