package io.chatvault.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.chatvault.storage.S3ObjectStore;
import io.chatvault.storage.StorageProperties;

/**
 * The S3 server the integration tests talk to, chosen once per JVM: the one named by
 * {@code CHATVAULT_TEST_S3_ENDPOINT} (with {@code _ACCESS_KEY}, {@code _SECRET_KEY},
 * {@code _REGION}) when set, else a single-node Ceph RGW on 127.0.0.1 that
 * {@code ops/dev/ceph-rgw.sh start} installs and starts (returning at once when it
 * already runs). Each test class asks for a fresh bucket with Object Lock enabled.
 */
public final class TestS3 {

	/** Installing Ceph on a fresh machine and starting it takes about a minute. */
	private static final long START_TIMEOUT_MINUTES = 10;

	private static volatile StorageProperties.Store server;

	private TestS3() {
	}

	/**
	 * Creates a new bucket with Object Lock enabled on the test server.
	 * @return settings of a store on it
	 */
	public static StorageProperties.Store freshLockedBucket() {
		StorageProperties.Store base = server();
		String bucket = "cv-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		StorageProperties.Store settings = StorageProperties.Store.s3(bucket, base.endpoint(), base.region(),
				base.accessKey(), base.secretKey());
		try (S3ObjectStore store = S3ObjectStore.create(settings)) {
			store.client().createBucket((request) -> request.bucket(bucket).objectLockEnabledForBucket(true));
		}
		return settings;
	}

	/** Settings of the server with no bucket: endpoint, region and keys. */
	public static StorageProperties.Store server() {
		StorageProperties.Store s = server;
		if (s == null) {
			synchronized (TestS3.class) {
				s = server;
				if (s == null) {
					s = locate();
					server = s;
				}
			}
		}
		return s;
	}

	private static StorageProperties.Store locate() {
		Map<String, String> env = new HashMap<>(System.getenv());
		if (isBlank(env.get("CHATVAULT_TEST_S3_ENDPOINT"))) {
			env.putAll(startCephRgw());
		}
		return StorageProperties.Store.s3("unset", URI.create(env.get("CHATVAULT_TEST_S3_ENDPOINT")),
				env.getOrDefault("CHATVAULT_TEST_S3_REGION", "us-east-1"), env.get("CHATVAULT_TEST_S3_ACCESS_KEY"),
				env.get("CHATVAULT_TEST_S3_SECRET_KEY"));
	}

	private static Map<String, String> startCephRgw() {
		Path script = findScript();
		Path output;
		try {
			output = Files.createTempFile("ceph-rgw-start", ".log");
			Process process = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(START_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("Ceph RGW did not start within " + START_TIMEOUT_MINUTES + " minutes ("
						+ script + " start); output:\n" + Files.readString(output)
						+ "\nSet CHATVAULT_TEST_S3_ENDPOINT to use another S3 server; see docs/storage.md");
			}
			String log = Files.readString(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Ceph RGW did not start (" + script + " start exited with "
						+ process.exitValue() + "); output:\n" + log
						+ "\nSet CHATVAULT_TEST_S3_ENDPOINT to use another S3 server; see docs/storage.md");
			}
			Map<String, String> env = new HashMap<>();
			log.lines().filter((line) -> line.startsWith("CHATVAULT_TEST_S3_")).forEach((line) -> {
				int eq = line.indexOf('=');
				env.put(line.substring(0, eq), line.substring(eq + 1));
			});
			if (isBlank(env.get("CHATVAULT_TEST_S3_ENDPOINT"))) {
				throw new IllegalStateException("ops/dev/ceph-rgw.sh start printed no endpoint; output:\n" + log);
			}
			return env;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + script + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting Ceph RGW", ex);
		}
	}

	private static Path findScript() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path script = dir.resolve("ops/dev/ceph-rgw.sh");
			if (Files.isRegularFile(script)) {
				return script;
			}
		}
		throw new IllegalStateException("ops/dev/ceph-rgw.sh not found above " + Path.of("").toAbsolutePath());
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
