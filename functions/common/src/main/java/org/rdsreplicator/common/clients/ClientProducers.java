package org.rdsreplicator.common.clients;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/** Beans every function may inject that no extension provides: the clock (tests replace it). */
@jakarta.enterprise.context.Dependent
public class ClientProducers {

    @Produces
    @Singleton
    @DefaultBean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
