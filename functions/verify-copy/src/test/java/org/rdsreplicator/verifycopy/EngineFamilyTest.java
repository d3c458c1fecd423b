package org.rdsreplicator.verifycopy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class EngineFamilyTest {

    @Test
    void rdsEngines_shouldMapToTheirDriver_andOthersToNone() {
        assertThat(EngineFamily.of("postgres")).contains(EngineFamily.POSTGRESQL);
        assertThat(EngineFamily.of("aurora-postgresql")).contains(EngineFamily.POSTGRESQL);
        assertThat(EngineFamily.of("mysql")).contains(EngineFamily.MYSQL);
        assertThat(EngineFamily.of("mariadb")).contains(EngineFamily.MYSQL);
        assertThat(EngineFamily.of("aurora-mysql")).contains(EngineFamily.MYSQL);
        assertThat(EngineFamily.of("oracle-ee")).isEmpty();
        assertThat(EngineFamily.of("sqlserver-se")).isEmpty();
        assertThat(EngineFamily.of(null)).isEmpty();
    }

    @Test
    void url_shouldCarryNoCredential_andPropertiesShouldRequireTlsAndBoundEveryWait() {
        String url = EngineFamily.POSTGRESQL.url("db.example", 5432, EngineFamily.POSTGRESQL.database(""));
        assertThat(url).isEqualTo("jdbc:postgresql://db.example:5432/postgres");
        Properties pg = EngineFamily.POSTGRESQL.properties("app", "pw", 7);
        assertThat(pg).containsEntry("sslmode", "require").containsEntry("connectTimeout", "7")
                .containsEntry("socketTimeout", "7").containsEntry("loginTimeout", "7");
        Properties my = EngineFamily.MYSQL.properties("app", "pw", 7);
        assertThat(my).containsEntry("sslMode", "trust").containsEntry("connectTimeout", "7000")
                .containsEntry("socketTimeout", "7000");
        assertThat(EngineFamily.MYSQL.url("db.example", 3306, EngineFamily.MYSQL.database(null)))
                .isEqualTo("jdbc:mariadb://db.example:3306/");
    }
}
