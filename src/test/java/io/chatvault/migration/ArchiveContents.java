package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.Vault;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an archive must hold after migrating an export, computed from the export itself,
 * and what it does hold, read back through the vault. Tests {@code @Import} it.
 */
@TestComponent
class ArchiveContents {

	private final ExportSources sources;

	private final Vault vault;

	private final JdbcClient jdbc;

	private final MigrationProperties properties;

	ArchiveContents(ExportSources sources, Vault vault, JdbcClient jdbc, MigrationProperties properties) {
		this.sources = sources;
		this.vault = vault;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The parsed records of an export read with the default custodian and zone, as a
	 * migration without {@code custodian=} and {@code zone=} reads it.
	 */
	Map<String, String> expected(Path export) throws IOException {
		return expected(export, this.properties.defaultCustodian(), ZoneId.of(this.properties.defaultZone()));
	}

	/**
	 * The parsed records of an export: message id to the SHA-256 of its canonical record.
	 * @throws IllegalStateException if two records have the same id
	 */
	Map<String, String> expected(Path export, String custodian, ZoneId zone) throws IOException {
		Map<String, String> expected = new HashMap<>();
		try (SourceReader reader = this.sources.open(export, Optional.empty(),
				new SourceOptions(custodian, zone, null))) {
			while (reader.hasNext()) {
				SourceRecord record = reader.next();
				if (record instanceof ChatRecord chat) {
					ArchiveRequest request = this.vault.prepare(chat, custodian);
					if (expected.put(request.messageId(), request.recordSha256()) != null) {
						throw new IllegalStateException("Two records with id " + request.messageId());
					}
				}
			}
		}
		return expected;
	}

	/**
	 * Reads each expected message back through the vault.
	 * @return the first few ids whose stored record does not hash as expected, with what
	 * was found; empty when all match
	 */
	List<String> mismatches(Map<String, String> expected) {
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<String, String> entry : expected.entrySet()) {
			String found;
			try {
				found = Sha256.hex(this.vault.readCanonical(entry.getKey()));
			}
			catch (RuntimeException ex) {
				found = ex.toString();
			}
			if (!found.equals(entry.getValue()) && mismatches.size() < 5) {
				mismatches.add(entry.getKey() + ": expected " + entry.getValue() + ", found " + found);
			}
		}
		return mismatches;
	}

	/** How many records the vault's index holds (its primary key is the message id). */
	long messageCount() {
		return this.jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
	}

	long quarantineCount() {
		return this.jdbc.sql("SELECT count(*) FROM vault_quarantine").query(Long.class).single();
	}

}
