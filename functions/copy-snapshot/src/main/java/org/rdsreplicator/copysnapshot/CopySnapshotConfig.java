package org.rdsreplicator.copysnapshot;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Settings of copy-snapshot, from environment variables set by template.yaml. */
@ConfigMapping(prefix = "replicator")
public interface CopySnapshotConfig {

    /** Customer-managed KMS key the copy is re-encrypted with ({@code REPLICATOR_KMS_KEY_ARN}). */
    Optional<String> kmsKeyArn();
}
