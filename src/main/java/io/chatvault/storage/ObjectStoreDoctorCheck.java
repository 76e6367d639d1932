package io.chatvault.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import io.chatvault.cli.DoctorCheck;

/**
 * {@code chatvault doctor}: is the store there and writable, and for S3, does the bucket
 * exist with Object Lock enabled. Findings name the store and the property to change.
 */
class ObjectStoreDoctorCheck implements DoctorCheck {

	private final String name;

	private final String propertyPrefix;

	private final ObjectStore store;

	ObjectStoreDoctorCheck(String name, String propertyPrefix, ObjectStore store) {
		this.name = name;
		this.propertyPrefix = propertyPrefix;
		this.store = store;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Finding check() {
		try {
			if (this.store instanceof FilesystemObjectStore filesystem) {
				return checkDirectory(filesystem);
			}
			if (this.store instanceof S3ObjectStore s3) {
				return checkBucket(s3);
			}
			return Finding.ok(this.store.name());
		}
		catch (RuntimeException ex) {
			return Finding.problem(this.store.name() + ": " + ex.getMessage(),
					"check the " + this.propertyPrefix + ".* settings");
		}
	}

	private Finding checkDirectory(FilesystemObjectStore filesystem) {
		Path root = filesystem.root();
		// Probe with a real file: as root, Files.isWritable says yes to read-only mounts.
		Path probe = root.resolve(".doctor-" + UUID.randomUUID() + FilesystemObjectStore.TEMP_SUFFIX);
		try {
			Files.write(probe, new byte[] { 1 });
			Files.delete(probe);
		}
		catch (IOException ex) {
			return Finding.problem("directory " + root + " is not writable (" + ex.getMessage() + ")",
					"make " + root + " writable by the user running chatvault, or set " + this.propertyPrefix
							+ ".path to a writable directory");
		}
		int removed = filesystem.removeStaleTemporaryFiles();
		return Finding.ok("directory " + root + " is writable"
				+ ((removed > 0) ? "; removed " + removed + " temporary files of interrupted writes" : ""));
	}

	private Finding checkBucket(S3ObjectStore s3) {
		Optional<String> problem = s3.bucketProblem();
		if (problem.isEmpty()) {
			return Finding.ok(s3.name() + " exists with Object Lock enabled");
		}
		String detail = problem.get();
		if (detail.contains("does not exist")) {
			return Finding.problem(detail, "create it with Object Lock: aws s3api create-bucket --bucket " + s3.bucket()
					+ " --object-lock-enabled-for-bucket (add --endpoint-url for Ceph RGW or MinIO)");
		}
		if (detail.contains("Object Lock")) {
			return Finding.problem(detail, "Object Lock is needed for write-once storage: create a new bucket with "
					+ "--object-lock-enabled-for-bucket and set " + this.propertyPrefix
					+ ".bucket to it (AWS S3 can also enable it on a versioned bucket with put-object-lock-configuration)");
		}
		if (detail.contains("403")) {
			return Finding.problem(s3.name() + ": access denied (" + detail + ")", "check " + this.propertyPrefix
					+ ".access-key and .secret-key, or the default credentials chain, and the bucket policy");
		}
		return Finding.problem(s3.name() + ": " + detail,
				"check " + this.propertyPrefix + ".endpoint and that the server is running");
	}

}
