package io.chatvault.storage;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The child JVM of {@link FilesystemObjectStoreCrashTests}: writes large objects one
 * after another until it is killed.
 */
final class FilesystemCrashWriter {

	static final int OBJECT_SIZE = 16 * 1024 * 1024;

	private FilesystemCrashWriter() {
	}

	public static void main(String[] args) {
		FilesystemObjectStore store = new FilesystemObjectStore(Path.of(args[0]));
		WriteOptions options = new WriteOptions(Instant.parse("2033-01-01T00:00:00Z"), WriteOptions.LockMode.COMPLIANCE,
				false);
		for (int i = 0; i < 10_000; i++) {
			store.put(key(i), content(i), options);
		}
	}

	static String key(int i) {
		return "crash/obj-" + i;
	}

	static byte[] content(int i) {
		return FilesystemObjectStoreTests.randomBytes(OBJECT_SIZE, i);
	}

}
