package io.chatvault;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import io.chatvault.cli.ChatVaultCli;

/**
 * ChatVault: a compliance archiver for business chat. Every capability runs as a Spring
 * Batch job recorded in PostgreSQL; the operator CLI in {@code io.chatvault.cli} is the
 * entry point.
 */
@SpringBootApplication
public class ChatVaultApplication {

	public static void main(String[] args) {
		// Boot's background pre-initializer warms Jackson, Bean Validation and the like
		// on
		// a second thread: CPU that a command which never uses them would pay for
		// nothing.
		if (System.getProperty("spring.backgroundpreinitializer.ignore") == null) {
			System.setProperty("spring.backgroundpreinitializer.ignore", "true");
		}
		// The exit code tells the scheduler how the run ended (see ExitCode).
		System.exit(ChatVaultCli.main(ChatVaultApplication.class, args));
	}

}
