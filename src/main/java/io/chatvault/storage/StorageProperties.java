package io.chatvault.storage;

import java.net.URI;
import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the vault's objects go ({@code chatvault.storage.*}): a primary store and a
 * replica, each a directory or an S3 bucket. Unset, both are directories under
 * {@code CHATVAULT_HOME}: {@code objects} and {@code replica}.
 *
 * @param primary the store every read goes to first
 * @param replica the store every write is copied to, and that repairs read from
 */
@Validated
@ConfigurationProperties("chatvault.storage")
public record StorageProperties(@Valid @DefaultValue Store primary, @Valid @DefaultValue Store replica) {

	/** The kinds of store. */
	public enum Type {

		/** A directory on a local or mounted filesystem. */
		FILESYSTEM,

		/** An S3 bucket with Object Lock: AWS S3, Ceph RGW, MinIO. */
		S3

	}

	/**
	 * One object store.
	 *
	 * @param type filesystem or s3
	 * @param path the directory of a filesystem store; relative paths are resolved
	 * against {@code CHATVAULT_HOME}; unset, the default directory of that store
	 * @param bucket the bucket of an S3 store; it must have Object Lock enabled
	 * @param prefix a key prefix inside the bucket ("chatvault/"), possibly empty
	 * @param endpoint the S3 endpoint ("http://127.0.0.1:7480"), unset for AWS S3
	 * @param region the signing region
	 * @param pathStyle whether to address the bucket in the path rather than the host
	 * name (Ceph RGW and MinIO usually need this)
	 * @param accessKey the access key; unset, the AWS default credentials chain
	 * (environment, profile, instance role) is used
	 * @param secretKey the secret key that goes with the access key
	 * @param lockMode the Object Lock mode the store enforces at least: COMPLIANCE
	 * (default; nobody can shorten retention) or GOVERNANCE (privileged users can); a
	 * write asking for COMPLIANCE always gets COMPLIANCE
	 */
	public record Store(@NotNull @DefaultValue("filesystem") Type type, Path path, String bucket,
			@DefaultValue("") String prefix, URI endpoint, @DefaultValue("us-east-1") String region,
			@DefaultValue("false") boolean pathStyle, String accessKey, String secretKey,
			@NotNull @DefaultValue("COMPLIANCE") WriteOptions.LockMode lockMode) {

		/**
		 * An S3 store.
		 * @param bucket the bucket
		 * @param endpoint the endpoint, or null for AWS S3
		 * @param region the region
		 * @param accessKey the access key, or null for the default credentials chain
		 * @param secretKey the secret key
		 * @return the settings, path-style when an endpoint is given
		 */
		public static Store s3(String bucket, URI endpoint, String region, String accessKey, String secretKey) {
			return new Store(Type.S3, null, bucket, "", endpoint, region, endpoint != null, accessKey, secretKey,
					WriteOptions.LockMode.COMPLIANCE);
		}

		/**
		 * A filesystem store.
		 * @param path the directory
		 * @return the settings
		 */
		public static Store filesystem(Path path) {
			return new Store(Type.FILESYSTEM, path, null, "", null, "us-east-1", false, null, null,
					WriteOptions.LockMode.COMPLIANCE);
		}

		/**
		 * The same store with another key prefix.
		 * @param newPrefix the prefix
		 * @return the settings
		 */
		public Store withPrefix(String newPrefix) {
			return new Store(this.type, this.path, this.bucket, newPrefix, this.endpoint, this.region, this.pathStyle,
					this.accessKey, this.secretKey, this.lockMode);
		}

		@AssertTrue(message = "an s3 store needs a bucket (chatvault.storage.<store>.bucket)")
		boolean isBucketNamedForS3() {
			return this.type != Type.S3 || (this.bucket != null && !this.bucket.isBlank());
		}

		@AssertTrue(
				message = "access-key and secret-key go together: set both, or neither to use the default credentials chain")
		boolean isCredentialPairComplete() {
			return (this.accessKey == null || this.accessKey.isBlank()) == (this.secretKey == null
					|| this.secretKey.isBlank());
		}

		@AssertTrue(message = "endpoint must be an http or https URL")
		boolean isEndpointHttp() {
			return this.endpoint == null
					|| ("http".equals(this.endpoint.getScheme()) || "https".equals(this.endpoint.getScheme()));
		}

		/** Whether explicit keys are configured. */
		boolean hasStaticCredentials() {
			return this.accessKey != null && !this.accessKey.isBlank();
		}

		@Override
		public String toString() {
			// never print the secret key
			return "Store[type=" + this.type + ", path=" + this.path + ", bucket=" + this.bucket + ", prefix="
					+ this.prefix + ", endpoint=" + this.endpoint + ", region=" + this.region + ", pathStyle="
					+ this.pathStyle + ", accessKey=" + this.accessKey + ", lockMode=" + this.lockMode + "]";
		}

	}

}
