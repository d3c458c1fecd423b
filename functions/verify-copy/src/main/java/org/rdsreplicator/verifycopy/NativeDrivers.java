package org.rdsreplicator.verifycopy;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The plain JDBC drivers load these classes by name (the driver itself through {@code java.sql.Driver}
 * services; PostgreSQL its TLS socket factory for {@code sslmode=require}): registered for a native image.
 */
@RegisterForReflection(classNames = { "org.postgresql.Driver", "org.postgresql.ssl.LibPQFactory",
        "org.postgresql.ssl.NonValidatingFactory", "org.postgresql.ssl.DefaultJavaSSLFactory",
        "org.mariadb.jdbc.Driver" })
final class NativeDrivers {
    private NativeDrivers() {
    }
}
