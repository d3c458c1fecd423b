package org.rdsreplicator.copyheadroom;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.CopyKind;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The {@code <copy step>: wait for headroom} step: registers the task token in the copy-headroom queue of this
 * account, Region and kind (keeping its place when it re-checks after a timeout), and completes it at once when a
 * slot is free for it; otherwise the next settled copy of that kind wakes it ({@link CopyHeadroom#copySettled}).
 */
@ApplicationScoped
public class CopyHeadroomService {
    private final CopyHeadroom headroom;
    private final CopyHeadroomConfig config;
    private final Supplier<String> ownRegion;

    @Inject
    public CopyHeadroomService(CopyHeadroom headroom, CopyHeadroomConfig config) {
        this(headroom, config, CopyHeadroomService::regionOfThisFunction);
    }

    CopyHeadroomService(CopyHeadroom headroom, CopyHeadroomConfig config, Supplier<String> ownRegion) {
        this.headroom = headroom;
        this.config = config;
        this.ownRegion = ownRegion;
    }

    public CopyHeadroomResult await(CopyHeadroomRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with replicationId, kind and taskToken is required");
        }
        String replicationId = Identifiers.requireReplicationId(req.replicationId());
        CopyKind kind = CopyKind.parse(req.kind());
        if (req.taskToken() == null || req.taskToken().isBlank()) {
            throw new InvalidInputException("copy-headroom waits for a task token: invoke it with .waitForTaskToken");
        }
        String account = config.accountId().filter(a -> !a.isBlank()).orElseThrow(() -> new ConfigurationException(
                "REPLICATOR_ACCOUNT_ID is not set: the copy-headroom queue is per account"));
        boolean waiting = headroom.await(kind, account, ownRegion.get(), replicationId, req.taskToken());
        return new CopyHeadroomResult(kind.label(), waiting);
    }

    private static String regionOfThisFunction() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new ConfigurationException("cannot tell this function's Region: set AWS_REGION", e);
        }
    }
}
