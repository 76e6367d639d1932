package io.chatvault.storage;

import java.io.InputStream;
import java.util.Optional;

/**
 * A write-once object store: S3 with Object Lock, or the local filesystem. Objects are
 * never replaced: a second put of an existing key leaves the first in place. Deletion and
 * overwrite are refused before the object's retention ends, and while it is on legal
 * hold.
 */
public interface ObjectStore {

	/**
	 * A short name for messages and the replica configuration ("s3://bucket",
	 * "file:/path").
	 */
	String name();

	/**
	 * Writes an object if no object exists under the key.
	 * @param key the object key ("packs/ab/abcd...", "media/..")
	 * @param content the bytes
	 * @param options retention and legal hold
	 * @return {@link PutOutcome#CREATED} if this call wrote the object,
	 * {@link PutOutcome#ALREADY_PRESENT} if an object was already there (left untouched)
	 * @throws ObjectStoreException if the store cannot be reached or refuses the write
	 */
	PutOutcome put(String key, byte[] content, WriteOptions options);

	/**
	 * Reads a whole object.
	 * @param key the key
	 * @return the content, or empty if there is no such object
	 */
	Optional<InputStream> get(String key);

	/**
	 * Reads part of an object (one message out of a pack).
	 * @param key the key
	 * @param offset the first byte
	 * @param length how many bytes
	 * @return the bytes
	 * @throws ObjectStoreException if the object does not exist or is shorter
	 */
	byte[] read(String key, long offset, int length);

	/**
	 * Describes an object.
	 * @param key the key
	 * @return its metadata, or empty if it does not exist
	 */
	Optional<StoredObject> head(String key);

	/**
	 * Deletes an object whose retention has ended and which is not on legal hold.
	 * @param key the key
	 * @throws RetentionViolationException if retention has not ended or a legal hold is
	 * set
	 */
	void delete(String key);

	/**
	 * Sets or clears the legal hold of an object.
	 * @param key the key
	 * @param on whether to hold
	 */
	void setLegalHold(String key, boolean on);

}
