package org.rdsreplicator.common.records;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code Error}/{@code Cause} pair Step Functions puts at {@code $.error} when a Catch fires. */
@RegisterForReflection
public record StepFailure(String Error, String Cause) {
}
