package org.rdsreplicator.common.errors;

/**
 * Thrown before a cross-Region copy when the shared snapshot has a non-default option group and no option
 * group of the destination Region is configured ({@code CopyOptionGroup}): RDS requires one for such a copy.
 */
public class OptionGroupRequiredException extends ReplicationException {
    public OptionGroupRequiredException(String message) {
        super(message);
    }
}
