package org.rdsreplicator.preflightdestination;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of preflight-destination, from environment variables set by template.yaml: the same values the steps
 * it checks for use ({@code REPLICATOR_KMS_KEY_ARN} as copy-shared-snapshot,
 * {@code REPLICATOR_RESTORE_*} as restore-instance, {@code REPLICATOR_RETENTION_KEEP} as prune-instances; the
 * secret through {@code REPLICATOR_SECRET_ARN}).
 */
@ConfigMapping(prefix = "replicator")
public interface PreflightDestinationConfig {

    /** This account's DestinationKey, which copy-shared-snapshot re-encrypts with. */
    Optional<String> kmsKeyArn();

    /** The restore's instance class (reported). */
    Optional<String> restoreInstanceClass();

    /** The restore's DB subnet group: must exist. */
    Optional<String> restoreSubnetGroup();

    /** The restore's VPC security groups: must exist, in the subnet group's VPC. */
    Optional<List<String>> restoreSecurityGroupIds();

    /** The restore's option group: must exist and be for the message's engine and major version. */
    Optional<String> restoreOptionGroup();

    /** The restore's DB parameter group: must exist and be of the engine version's family. */
    Optional<String> restoreParameterGroup();

    /** The writer's class of a provisioned Aurora cluster (reported; Serverless v2 writers are db.serverless). */
    @WithDefault("db.r6g.large")
    String clusterInstanceClass();

    /** How many promoted instances retention keeps (the dry run's plan). */
    @WithDefault("2")
    int retentionKeep();
}
