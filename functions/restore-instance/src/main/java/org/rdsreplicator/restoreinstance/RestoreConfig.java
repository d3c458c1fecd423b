package org.rdsreplicator.restoreinstance;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How new instances are restored, from environment variables set by template.yaml
 * ({@code REPLICATOR_RESTORE_INSTANCE_CLASS}, {@code REPLICATOR_RESTORE_SUBNET_GROUP},
 * {@code REPLICATOR_RESTORE_SECURITY_GROUP_IDS} (comma-separated), {@code REPLICATOR_RESTORE_OPTION_GROUP},
 * {@code REPLICATOR_RESTORE_PARAMETER_GROUP}, {@code REPLICATOR_RESTORE_MULTI_AZ},
 * {@code REPLICATOR_RESTORE_DELETION_PROTECTION}). An empty value means "not set": RDS then uses the
 * default (VPC, security group, option and parameter group of the engine). The KMS key is the local
 * copy's (copy-shared-snapshot already re-encrypted it with this account's key). Instances are never
 * publicly accessible, whatever is configured.
 */
@ConfigMapping(prefix = "replicator.restore")
public interface RestoreConfig {

    /** DB instance class, e.g. {@code db.t3.medium}. Required: restore-instance fails with ConfigurationException without it. */
    Optional<String> instanceClass();

    /** The key per-database secrets are created with (the stack's DestinationKey). */
    Optional<String> secretKmsKeyArn();

    /** DB subnet group name (the VPC the instance is placed in). */
    Optional<String> subnetGroup();

    /** VPC security group ids. */
    Optional<List<String>> securityGroupIds();

    /** Option group name; must suit the engine and carry the snapshot's persistent options. */
    Optional<String> optionGroup();

    /** DB parameter group name. */
    Optional<String> parameterGroup();

    @WithDefault("false")
    boolean multiAz();

    /** When true, prune-instances never deletes the instance (RDS refuses too). */
    @WithDefault("false")
    boolean deletionProtection();
}
