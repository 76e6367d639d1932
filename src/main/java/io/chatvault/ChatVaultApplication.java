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
		// The exit code tells the scheduler how the run ended (see ExitCode).
		System.exit(ChatVaultCli.main(ChatVaultApplication.class, args));
	}

}
