package org.rdsreplicator.common.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The database secret of a destination stack ({@code REPLICATOR_SECRET_ARN}), for the components that
 * read or guard it: the secret store, the promotion lock and handle-failure. Absent in a source-only
 * stack; checked where it is used, with a {@code ConfigurationException}.
 */
@ConfigMapping(prefix = "replicator")
public interface SecretConfig {

    /** The Secrets Manager secret that names the current instance. */
    Optional<String> secretArn();
}
