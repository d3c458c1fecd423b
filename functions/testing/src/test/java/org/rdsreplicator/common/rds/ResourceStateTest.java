package org.rdsreplicator.common.rds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;

/** What a Describe of a waited-for instance means: done, failed at once, or keep waiting. */
class ResourceStateTest {

    static DBInstance instance(String status, boolean passwordPending) {
        return DBInstance.builder().dbInstanceIdentifier("orders-db-x").dbInstanceArn("arn:aws:rds:eu-west-1:1:db:x")
                .dbInstanceStatus(status)
                .pendingModifiedValues(passwordPending ? PendingModifiedValues.builder().masterUserPassword("****").build()
                        : null)
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = { "insufficient-capacity", "incompatible-restore", "incompatible-network",
            "incompatible-parameters", "incompatible-option-group", "restore-error", "failed", "storage-full",
            "inaccessible-encryption-credentials" })
    void terminalInstanceStatus_shouldEndTheWaitAtOnce(String status) {
        assertThat(ResourceState.of(instance(status, false)).phase()).isEqualTo(ResourceState.Phase.FAILED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "creating", "modifying", "backing-up", "resetting-master-credentials", "configuring-enhanced-monitoring" })
    void workInProgress_shouldKeepWaiting(String status) {
        assertThat(ResourceState.of(instance(status, false)).phase()).isEqualTo(ResourceState.Phase.PENDING);
    }

    @Test
    void availableWithAPasswordPending_shouldKeepWaiting_andWithoutOneBeDone() {
        assertThat(ResourceState.of(instance("available", true)).phase()).isEqualTo(ResourceState.Phase.PENDING);
        assertThat(ResourceState.passwordPending(instance("available", true))).isTrue();
        assertThat(ResourceState.of(instance("available", false)).phase()).isEqualTo(ResourceState.Phase.DONE);
    }
}
