package org.rdsreplicator.common.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The database secret of a destination stack ({@code REPLICATOR_SECRET_ARN}), for the components that
 * read or guard it: the secret store, the promotion lock and handle-failure. Absent in a source-only
 * stack; checked where it is used, with a {@code ConfigurationException}.
 */
@ConfigMapping(prefix = "replicator")
public interface SecretConfig {

    /** The Secrets Manager secret that names the current instance (secret mode {@code single}). */
    Optional<String> secretArn();

    /** {@code single} (the stack's one secret) or {@code per-database} (see {@link SecretScope}). */
    @WithDefault(SecretScope.SINGLE)
    String secretMode();

    /** The source account (names the per-database secrets). */
    Optional<String> sourceAccountId();
}
