package io.chatvault;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * ChatVault: a compliance archiver for business chat. Every capability runs as a Spring
 * Batch job recorded in PostgreSQL; the operator CLI in {@code io.chatvault.cli} is the
 * entry point.
 */
@SpringBootApplication
public class ChatVaultApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(ChatVaultApplication.class, args)));
	}

}
