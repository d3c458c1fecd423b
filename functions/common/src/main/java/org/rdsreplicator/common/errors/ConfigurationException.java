package org.rdsreplicator.common.errors;

/** Thrown when a required setting (environment variable) of the function is missing or malformed. */
public class ConfigurationException extends ReplicationException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
