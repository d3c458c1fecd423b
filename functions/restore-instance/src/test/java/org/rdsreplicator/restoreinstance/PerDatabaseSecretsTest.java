package org.rdsreplicator.restoreinstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.config.SecretScope;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.secret.DatabaseSecret;
import org.rdsreplicator.common.secret.SecretStore;
import org.rdsreplicator.common.testing.FakeSecrets;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The stack's one secret and per-database secrets: which secret a step works on, and the first restore's secret. */
class PerDatabaseSecretsTest {
    static final String SOURCE_ACCOUNT = "999999999999";
    static final String KEY = "arn:aws:kms:eu-west-1:111111111111:key/dest";

    FakeSecrets fake = new FakeSecrets();

    @Test
    void single_shouldWorkOnTheConfiguredSecret_whateverTheSource() {
        SecretStore store = fake.store(FakeSecrets.ARN);

        assertThat(SecretScope.forSource("ledger-db", store::secretArn)).isEqualTo(FakeSecrets.ARN);
        assertThat(store.secretArn()).isEqualTo(FakeSecrets.ARN);
        assertThat(store.createIfMissing("app", "postgres", KEY)).isFalse();
        assertThat(fake.createdWithKey).isEmpty();
    }

    @Test
    void perDatabase_shouldNameTheSecretAfterTheSourceAccountAndDatabase() {
        SecretStore store = fake.perDatabaseStore(SOURCE_ACCOUNT);

        assertThat(SecretScope.forSource("ledger-db", store::secretArn))
                .isEqualTo("rds-replicator/" + SOURCE_ACCOUNT + "/ledger-db");
        assertThat(SecretScope.forSource("orders-db", store::secretArn))
                .isEqualTo("rds-replicator/" + SOURCE_ACCOUNT + "/orders-db");
    }

    @Test
    void perDatabase_withoutASource_shouldRefuseRatherThanGuess() {
        SecretStore store = fake.perDatabaseStore(SOURCE_ACCOUNT);

        assertThatThrownBy(store::secretArn).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("source database");
        assertThatThrownBy(() -> SecretScope.forSource("not/a-name", store::secretArn))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void perDatabase_firstRestore_shouldCreateTheSecretOnce_inTheRdsLayout_withTheKey() throws Exception {
        SecretStore store = fake.perDatabaseStore(SOURCE_ACCOUNT);
        String name = "rds-replicator/" + SOURCE_ACCOUNT + "/ledger-db";

        boolean created = SecretScope.forSource("ledger-db", () -> store.createIfMissing("app", "postgres", KEY));
        String first = fake.current(name).secretString();
        boolean again = SecretScope.forSource("ledger-db", () -> store.createIfMissing("app", "postgres", KEY));

        assertThat(created).isTrue();
        assertThat(again).isFalse();
        assertThat(fake.current(name).secretString()).isEqualTo(first);
        assertThat(fake.createdWithKey).containsEntry(name, KEY);
        DatabaseSecret secret = SecretScope.forSource("ledger-db", store::read);
        assertThat(secret.username()).isEqualTo("app");
        assertThat(secret.password()).hasSize(40)
                .matches("[A-Za-z0-9._~-]+");
        assertThat(secret.dbInstanceIdentifier()).isNullOrEmpty();
        assertThat(new ObjectMapper().readTree(first).get("engine").asText()).isEqualTo("postgres");
    }

    @Test
    void generatedPasswords_shouldDiffer() {
        SecretStore store = fake.perDatabaseStore(SOURCE_ACCOUNT);
        SecretScope.forSource("a-db", () -> store.createIfMissing("app", "postgres", KEY));
        SecretScope.forSource("b-db", () -> store.createIfMissing("app", "postgres", KEY));

        assertThat(SecretScope.forSource("a-db", store::read).password())
                .isNotEqualTo(SecretScope.forSource("b-db", store::read).password());
    }
}
