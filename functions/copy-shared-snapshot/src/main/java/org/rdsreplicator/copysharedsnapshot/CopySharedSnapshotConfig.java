package org.rdsreplicator.copysharedsnapshot;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Settings of copy-shared-snapshot, from environment variables set by template.yaml: the KMS key the
 * copy is encrypted with ({@code REPLICATOR_KMS_KEY_ARN}), and this function's own account, which RDS does not tell before the copy exists. The wait for the copy
 * must be registered under the copy's ARN before CopyDBSnapshot is called (so that no event can be
 * missed), hence the account comes from configuration: template.yaml sets
 * {@code REPLICATOR_ACCOUNT_ID: !Ref AWS::AccountId}. Region and partition come from the function's
 * own Region ({@code AWS_REGION}).
 */
@ConfigMapping(prefix = "replicator")
public interface CopySharedSnapshotConfig {

    /** This account's customer-managed key the copy is re-encrypted with ({@code REPLICATOR_KMS_KEY_ARN}). */
    Optional<String> kmsKeyArn();

    /** The account this function runs in ({@code REPLICATOR_ACCOUNT_ID}); required by copy-shared-snapshot. */
    Optional<String> accountId();

    /**
     * Option group of this Region given to a cross-Region copy ({@code REPLICATOR_COPY_OPTION_GROUP}, template
     * parameter {@code CopyOptionGroup}); required when the shared snapshot has a non-default option group.
     */
    Optional<String> copyOptionGroup();
}
