package io.takhin.common;

/** The disk under a partition failed; the partition refuses writes until the server restarts. */
public final class StorageException extends TakhinException {
    public StorageException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message, cause);
    }

    public StorageException(String message) {
        super(ErrorCode.STORAGE_UNAVAILABLE, message);
    }
}
