package org.rdsreplicator.createwriter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The writer's instance class ({@code REPLICATOR_CLUSTER_INSTANCE_CLASS}, template parameter
 * {@code ClusterInstanceClass}) for a provisioned cluster; a Serverless v2 cluster's writer is always
 * {@code db.serverless}.
 */
@ConfigMapping(prefix = "replicator.cluster")
public interface CreateWriterConfig {

    @WithDefault("db.r6g.large")
    String instanceClass();
}
