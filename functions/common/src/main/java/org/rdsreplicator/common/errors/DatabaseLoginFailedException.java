package org.rdsreplicator.common.errors;

/** Thrown by verify-copy when the instance answers but refuses the secret's username and password (or the database named in the secret): the secret would not work for clients. Terminal. The message never carries a credential. */
public class DatabaseLoginFailedException extends ReplicationException {
    public DatabaseLoginFailedException(String message) {
        super(message);
    }
}
