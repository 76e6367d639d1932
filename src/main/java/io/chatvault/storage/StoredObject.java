package io.chatvault.storage;

import java.time.Instant;

/**
 * Metadata of a stored object.
 *
 * @param key the key
 * @param size its size in bytes
 * @param retainUntil its retain-until date, or {@code null} if the store does not report
 * one
 * @param legalHold whether a legal hold is set
 */
public record StoredObject(String key, long size, Instant retainUntil, boolean legalHold) {
}
