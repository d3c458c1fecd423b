package org.rdsreplicator.common.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class ReplicationLogTest {

    @Test
    void with_shouldCarryTheIdDuringTheWorkOnlyEvenWhenItFails() {
        String seen = ReplicationLog.with("run-1", () -> (String) MDC.get(ReplicationLog.KEY));
        assertThat(seen).isEqualTo("run-1");
        assertThat(MDC.get(ReplicationLog.KEY)).isNull();

        assertThatThrownBy(() -> ReplicationLog.with("run-2", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(MDC.get(ReplicationLog.KEY)).isNull();
    }

    @Test
    void with_shouldRestoreAnOuterId() {
        String inner = ReplicationLog.with("outer", () -> ReplicationLog.with("inner", () -> (String) MDC.get(ReplicationLog.KEY)));
        assertThat(inner).isEqualTo("inner");
        assertThat(ReplicationLog.with("outer", () -> {
            ReplicationLog.with(null, () -> "x");
            return (String) MDC.get(ReplicationLog.KEY);
        })).isEqualTo("outer");
    }
}
