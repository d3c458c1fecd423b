package org.rdsreplicator.restorecluster;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How new Aurora clusters are restored, from environment variables set by template.yaml
 * ({@code REPLICATOR_RESTORE_KMS_KEY_ARN}, {@code REPLICATOR_RESTORE_SECRET_KMS_KEY_ARN}, {@code REPLICATOR_RESTORE_ACCOUNT_ID}, {@code REPLICATOR_RESTORE_SUBNET_GROUP},
 * {@code REPLICATOR_RESTORE_SECURITY_GROUP_IDS} (comma-separated), {@code REPLICATOR_RESTORE_DELETION_PROTECTION},
 * {@code REPLICATOR_RESTORE_SERVERLESS_MIN_CAPACITY}, {@code REPLICATOR_RESTORE_SERVERLESS_MAX_CAPACITY}). An empty
 * value means "not set": RDS then uses the default VPC and security group. The cluster is encrypted with the
 * destination's key (Aurora restores a shared encrypted cluster snapshot directly, re-encrypting it).
 */
@ConfigMapping(prefix = "replicator.restore")
public interface RestoreClusterConfig {

    /** This account's key the cluster is encrypted with (the stack's DestinationKey). Required. */
    Optional<String> kmsKeyArn();

    /** The key per-database secrets are created with (the stack's DestinationKey). */
    Optional<String> secretKmsKeyArn();

    /** This account's id: the new cluster's ARN (the wait's key) is known before the restore starts. Required. */
    Optional<String> accountId();

    /** DB subnet group name (the VPC the cluster is placed in). */
    Optional<String> subnetGroup();

    /** VPC security group ids. */
    Optional<List<String>> securityGroupIds();

    /** When true, retention never deletes the cluster (RDS refuses too). */
    @WithDefault("false")
    boolean deletionProtection();

    /** Serverless v2: the least Aurora capacity units the writer scales down to. */
    @WithDefault("0.5")
    double serverlessMinCapacity();

    /** Serverless v2: the most Aurora capacity units the writer scales up to. */
    @WithDefault("4")
    double serverlessMaxCapacity();
}
