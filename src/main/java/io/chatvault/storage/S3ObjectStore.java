package io.chatvault.storage;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The write-once store on an S3 bucket with Object Lock (AWS S3, Ceph RGW, MinIO). Every
 * put carries the lock mode, the retain-until date and a Content-MD5, and is made only if
 * the key is free: a HEAD first, then a conditional PUT ({@code If-None-Match: *}),
 * because on a versioned bucket a second PUT would quietly become the current version.
 * The server enforces retention; a refused delete surfaces as
 * {@link RetentionViolationException}.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

	private final S3Client s3;

	private final String bucket;

	private final String prefix;

	private final WriteOptions.LockMode minimumLockMode;

	private final String endpointName;

	/**
	 * Keeps two puts of one key in this process apart: Ceph RGW ignores
	 * {@code If-None-Match} on versioned buckets, so HEAD-then-PUT must not interleave.
	 */
	private final ReentrantLock[] keyLocks = new ReentrantLock[64];

	/**
	 * A store on a client built elsewhere.
	 * @param s3 the client (this store closes it)
	 * @param bucket the bucket, with Object Lock enabled
	 * @param prefix prepended to every key, possibly empty
	 * @param minimumLockMode COMPLIANCE to make every write COMPLIANCE whatever it asks
	 * for
	 * @param endpointName how to name the endpoint in messages
	 */
	public S3ObjectStore(S3Client s3, String bucket, String prefix, WriteOptions.LockMode minimumLockMode,
			String endpointName) {
		this.s3 = s3;
		this.bucket = bucket;
		this.prefix = (prefix != null) ? prefix : "";
		this.minimumLockMode = minimumLockMode;
		this.endpointName = endpointName;
		Arrays.setAll(this.keyLocks, (i) -> new ReentrantLock());
	}

	/**
	 * Builds the client from settings: endpoint, region, path-style, credentials, and
	 * checksums only where the API requires them (Ceph RGW rejects the SDK's newer
	 * default checksums).
	 * @param settings the store settings
	 * @return the store
	 */
	public static S3ObjectStore create(StorageProperties.Store settings) {
		var builder = S3Client.builder()
			.httpClientBuilder(ApacheHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(5))
				.socketTimeout(Duration.ofSeconds(60))
				.maxConnections(64))
			.region(Region.of(settings.region()))
			.forcePathStyle(settings.pathStyle())
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(credentials(settings));
		if (settings.endpoint() != null) {
			builder.endpointOverride(settings.endpoint());
		}
		String where = (settings.endpoint() != null) ? settings.endpoint().toString() : "AWS S3 " + settings.region();
		return new S3ObjectStore(builder.build(), settings.bucket(), settings.prefix(), settings.lockMode(), where);
	}

	private static AwsCredentialsProvider credentials(StorageProperties.Store settings) {
		if (settings.hasStaticCredentials()) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	@Override
	public String name() {
		return "s3://" + this.bucket + "/" + this.prefix;
	}

	/** The bucket. */
	public String bucket() {
		return this.bucket;
	}

	/** The client, for checks and tests that need calls this interface does not have. */
	public S3Client client() {
		return this.s3;
	}

	@Override
	public PutOutcome put(String key, byte[] content, WriteOptions options) {
		ReentrantLock lock = this.keyLocks[Math.floorMod(key.hashCode(), this.keyLocks.length)];
		lock.lock();
		try {
			if (head(key).isPresent()) {
				return PutOutcome.ALREADY_PRESENT;
			}
			return putIfAbsent(key, content, options);
		}
		finally {
			lock.unlock();
		}
	}

	private PutOutcome putIfAbsent(String key, byte[] content, WriteOptions options) {
		ObjectLockMode mode = (options.lockMode() == WriteOptions.LockMode.COMPLIANCE
				|| this.minimumLockMode == WriteOptions.LockMode.COMPLIANCE) ? ObjectLockMode.COMPLIANCE
						: ObjectLockMode.GOVERNANCE;
		try {
			this.s3.putObject(
					(request) -> request.bucket(this.bucket)
						.key(objectKey(key))
						.contentLength((long) content.length)
						.contentMD5(md5(content))
						.ifNoneMatch("*")
						.objectLockMode(mode)
						.objectLockRetainUntilDate(RetentionDates.wholeSecondsUp(options.retainUntil()))
						.objectLockLegalHoldStatus(
								options.legalHold() ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF),
					RequestBody.fromBytes(content));
			return PutOutcome.CREATED;
		}
		catch (S3Exception ex) {
			// 412: another writer created the key since our HEAD; 409: a conditional
			// write to the key is still in flight (AWS S3).
			if (ex.statusCode() == 412 || ex.statusCode() == 409) {
				return PutOutcome.ALREADY_PRESENT;
			}
			throw failure("write", key, ex);
		}
		catch (SdkException ex) {
			throw failure("write", key, ex);
		}
	}

	@Override
	public Optional<InputStream> get(String key) {
		try {
			ResponseInputStream<GetObjectResponse> in = this.s3
				.getObject((request) -> request.bucket(this.bucket).key(objectKey(key)));
			return Optional.of(in);
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (SdkException ex) {
			throw failure("read", key, ex);
		}
	}

	@Override
	public byte[] read(String key, long offset, int length) {
		if (offset < 0 || length < 0) {
			throw new IllegalArgumentException("offset and length must not be negative: " + offset + ", " + length);
		}
		if (length == 0) {
			StoredObject object = head(key)
				.orElseThrow(() -> new ObjectStoreException("No object " + key + " in " + name()));
			checkRange(key, object.size(), offset, length);
			return new byte[0];
		}
		try {
			ResponseBytes<GetObjectResponse> bytes = this.s3.getObjectAsBytes((request) -> request.bucket(this.bucket)
				.key(objectKey(key))
				.range("bytes=" + offset + "-" + (offset + length - 1)));
			byte[] result = bytes.asByteArray();
			if (result.length != length) {
				throw new ObjectStoreException("Object " + key + " in " + name() + " ends at "
						+ (offset + result.length) + "; cannot read " + length + " bytes from offset " + offset);
			}
			return result;
		}
		catch (NoSuchKeyException ex) {
			throw new ObjectStoreException("No object " + key + " in " + name(), ex);
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 416) {
				long size = head(key).map(StoredObject::size).orElse(0L);
				checkRange(key, size, offset, length);
			}
			throw failure("read", key, ex);
		}
		catch (SdkException ex) {
			throw failure("read", key, ex);
		}
	}

	private void checkRange(String key, long size, long offset, int length) {
		if (offset + length > size) {
			throw new ObjectStoreException("Object " + key + " in " + name() + " has " + size + " bytes; cannot read "
					+ length + " from offset " + offset);
		}
	}

	@Override
	public Optional<StoredObject> head(String key) {
		try {
			HeadObjectResponse response = this.s3
				.headObject((request) -> request.bucket(this.bucket).key(objectKey(key)));
			return Optional.of(new StoredObject(key, response.contentLength(), response.objectLockRetainUntilDate(),
					response.objectLockLegalHoldStatus() == ObjectLockLegalHoldStatus.ON));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw failure("describe", key, ex);
		}
		catch (SdkException ex) {
			throw failure("describe", key, ex);
		}
	}

	/**
	 * Deletes every version of the key. A plain DELETE on a versioned bucket would only
	 * add a delete marker and leave the locked version in place, which hides evidence
	 * without removing it; so each version is deleted by its id, which the server refuses
	 * while it is retained or held.
	 */
	@Override
	public void delete(String key) {
		String objectKey = objectKey(key);
		try {
			for (String versionId : versionsOf(objectKey)) {
				this.s3.deleteObject((request) -> request.bucket(this.bucket).key(objectKey).versionId(versionId));
			}
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 403) {
				throw new RetentionViolationException("Object " + key + " in " + name()
						+ " is retained or on legal hold; the server refused to delete it ("
						+ ex.awsErrorDetails().errorCode() + ")", ex);
			}
			throw failure("delete", key, ex);
		}
		catch (SdkException ex) {
			throw failure("delete", key, ex);
		}
	}

	private List<String> versionsOf(String objectKey) {
		// The prefix also matches longer keys; the paginator follows truncated listings.
		return this.s3.listObjectVersionsPaginator((request) -> request.bucket(this.bucket).prefix(objectKey))
			.stream()
			.flatMap((page) -> Stream.concat(
					page.versions().stream().filter((v) -> v.key().equals(objectKey)).map(ObjectVersion::versionId),
					page.deleteMarkers()
						.stream()
						.filter((m) -> m.key().equals(objectKey))
						.map(DeleteMarkerEntry::versionId)))
			.toList();
	}

	@Override
	public void setLegalHold(String key, boolean on) {
		try {
			this.s3.putObjectLegalHold((request) -> request.bucket(this.bucket)
				.key(objectKey(key))
				.legalHold((hold) -> hold.status(on ? ObjectLockLegalHoldStatus.ON : ObjectLockLegalHoldStatus.OFF)));
		}
		catch (SdkException ex) {
			throw failure("set the legal hold of", key, ex);
		}
	}

	/**
	 * Checks that the bucket exists and has Object Lock enabled.
	 * @return empty if so, else what is wrong in one line
	 */
	public Optional<String> bucketProblem() {
		try {
			this.s3.headBucket((request) -> request.bucket(this.bucket));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404) {
				return Optional.of("bucket " + this.bucket + " does not exist at " + this.endpointName);
			}
			return Optional.of(oneLine(ex));
		}
		catch (SdkException ex) {
			return Optional.of(oneLine(ex));
		}
		try {
			ObjectLockEnabled enabled = this.s3.getObjectLockConfiguration((request) -> request.bucket(this.bucket))
				.objectLockConfiguration()
				.objectLockEnabled();
			if (enabled != ObjectLockEnabled.ENABLED) {
				return Optional.of("bucket " + this.bucket + " does not have Object Lock enabled");
			}
		}
		catch (S3Exception ex) {
			if ("ObjectLockConfigurationNotFoundError".equals(ex.awsErrorDetails().errorCode())) {
				return Optional.of("bucket " + this.bucket + " does not have Object Lock enabled");
			}
			return Optional.of(oneLine(ex));
		}
		catch (SdkException ex) {
			return Optional.of(oneLine(ex));
		}
		return Optional.empty();
	}

	@Override
	public void close() {
		this.s3.close();
	}

	private String objectKey(String key) {
		if (key == null || key.isEmpty()) {
			throw new IllegalArgumentException("Object key must not be empty");
		}
		return this.prefix + key;
	}

	private ObjectStoreException failure(String action, String key, SdkException ex) {
		return new ObjectStoreException("Cannot " + action + " " + key + " in " + name() + ": " + oneLine(ex), ex);
	}

	/** The cause in one line: no SDK request ids, no stack, no advice paragraphs. */
	private String oneLine(SdkException ex) {
		if (ex instanceof S3Exception s3Exception && s3Exception.awsErrorDetails() != null) {
			String code = s3Exception.awsErrorDetails().errorCode();
			return "HTTP " + s3Exception.statusCode() + ((code != null) ? " " + code : "");
		}
		if (ex instanceof SdkClientException) {
			Throwable root = ex;
			while (root.getCause() != null && root.getCause() != root) {
				root = root.getCause();
			}
			String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
			return "cannot reach " + this.endpointName + " (" + message.lines().findFirst().orElse("") + ")";
		}
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return message.lines().findFirst().orElse("");
	}

	static String md5(byte[] content) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("MD5 is part of every Java runtime", ex);
		}
	}

}
