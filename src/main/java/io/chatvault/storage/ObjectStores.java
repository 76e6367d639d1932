package io.chatvault.storage;

import java.nio.file.Path;

/**
 * Opens object stores from their settings, so that the Spring configuration, the
 * benchmarks and the tests build them the same way.
 */
public final class ObjectStores {

	private ObjectStores() {
	}

	/**
	 * Opens one store.
	 * @param settings the settings
	 * @param defaultDirectory the directory of a filesystem store that names none
	 * @param home what relative filesystem paths are resolved against
	 * @return the store
	 */
	public static ObjectStore open(StorageProperties.Store settings, Path defaultDirectory, Path home) {
		return switch (settings.type()) {
			case FILESYSTEM ->
				new FilesystemObjectStore((settings.path() != null) ? home.resolve(settings.path()) : defaultDirectory);
			case S3 -> S3ObjectStore.create(settings);
		};
	}

	/**
	 * Opens the replicated store of a configuration: primary and replica, by default
	 * {@code objects} and {@code replica} under the home directory.
	 * @param properties the settings
	 * @param home the ChatVault home directory
	 * @return the store
	 */
	public static ReplicatedObjectStore open(StorageProperties properties, Path home) {
		ObjectStore primary = open(properties.primary(), home.resolve("objects"), home);
		ObjectStore replica = open(properties.replica(), home.resolve("replica"), home);
		if (primary.name().equals(replica.name())) {
			throw new ObjectStoreException("The replica is the primary itself (" + primary.name()
					+ "): set chatvault.storage.replica to another directory or bucket");
		}
		return new ReplicatedObjectStore(primary, replica);
	}

}
