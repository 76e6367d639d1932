package io.chatvault.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The SoftHSM2 token the PKCS#11 tests use:
 * {@code ops/dev/softhsm.sh init chatvault-test} installs softhsm2 from Debian's packages
 * when it is missing and creates the token once. Only when neither softhsm2 nor apt-get
 * is there are the tests skipped, saying so.
 */
public final class TestPkcs11 {

	private static volatile Token token;

	private TestPkcs11() {
	}

	/**
	 * The token's settings.
	 *
	 * @param library the PKCS#11 module
	 * @param slot its slot id
	 * @param pin the user PIN
	 */
	public record Token(String library, long slot, String pin) {
	}

	/** The test token, set up on first use; skips the calling test if it cannot be. */
	public static Token token() {
		Token t = token;
		if (t == null) {
			synchronized (TestPkcs11.class) {
				t = token;
				if (t == null) {
					t = init();
					token = t;
				}
			}
		}
		return t;
	}

	private static Token init() {
		Path script = findScript();
		try {
			Path output = Files.createTempFile("softhsm-init", ".log");
			Process process = new ProcessBuilder("bash", script.toString(), "init", "chatvault-test")
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("ops/dev/softhsm.sh init did not finish in 10 minutes");
			}
			String log = Files.readString(output, StandardCharsets.UTF_8);
			Assumptions.assumeTrue(process.exitValue() != 3,
					"SoftHSM2 is not installed and apt-get is not available to install it: " + log.strip());
			if (process.exitValue() != 0) {
				throw new IllegalStateException(script + " init exited with " + process.exitValue() + ":\n" + log);
			}
			Map<String, String> values = new HashMap<>();
			log.lines().filter((line) -> line.startsWith("CHATVAULT_TEST_PKCS11_")).forEach((line) -> {
				int eq = line.indexOf('=');
				values.put(line.substring(0, eq), line.substring(eq + 1));
			});
			return new Token(values.get("CHATVAULT_TEST_PKCS11_LIBRARY"),
					Long.parseLong(values.get("CHATVAULT_TEST_PKCS11_SLOT")), values.get("CHATVAULT_TEST_PKCS11_PIN"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + script + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while setting up SoftHSM2", ex);
		}
	}

	private static Path findScript() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path script = dir.resolve("ops/dev/softhsm.sh");
			if (Files.isRegularFile(script)) {
				return script;
			}
		}
		throw new IllegalStateException("ops/dev/softhsm.sh not found above " + Path.of("").toAbsolutePath());
	}

}
