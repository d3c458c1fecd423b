package org.rdsreplicator.common.wait;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * RDS's copy quotas of this account and Region (template parameters {@code InstanceCopyQuota} and
 * {@code ClusterCopyQuota}; environment {@code REPLICATOR_COPY_QUOTA_INSTANCE}, {@code REPLICATOR_COPY_QUOTA_CLUSTER}).
 */
@ConfigMapping(prefix = "replicator.copy-quota")
public interface CopyQuotaConfig {

    /** DB snapshot copies in progress at once (RDS default 20). */
    @WithDefault("20")
    int instance();

    /** DB cluster snapshot copies in progress at once (RDS default 5). */
    @WithDefault("5")
    int cluster();
}
