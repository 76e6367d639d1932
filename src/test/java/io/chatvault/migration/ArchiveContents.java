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
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.Vault;
import io.chatvault.vault.VaultReader;

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

	private final VaultReader reader;

	private final JdbcClient jdbc;

	private final MigrationProperties properties;

	ArchiveContents(ExportSources sources, Vault vault, VaultReader reader, JdbcClient jdbc,
			MigrationProperties properties) {
		this.sources = sources;
		this.vault = vault;
		this.reader = reader;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The SHA-256 of a record's content, whatever export it was read from: its canonical
	 * form without the place of its raw fragment (which differs between two exports of
	 * the same chat, and points at the stored original once archived).
	 */
	private String contentSha256(ChatRecord record, String custodian) {
		ChatRecord placeless = record.toBuilder()
			.origin(new io.chatvault.message.SourceLocation(record.origin().file(), record.origin().entry(),
					record.origin().line()))
			.rawSha256("")
			.build();
		return this.vault.prepare(placeless, custodian).recordSha256();
	}

	/**
	 * The parsed records of an export read with the default custodian and zone, as a
	 * migration without {@code custodian=} and {@code zone=} reads it.
	 */
	Map<String, String> expected(Path export) throws IOException {
		return expected(export, this.properties.defaultCustodian(), ZoneId.of(this.properties.defaultZone()));
	}

	/**
	 * The parsed records of an export: message id to the SHA-256 of its content (see
	 * {@link #contentSha256}).
	 * @throws IllegalStateException if two records have the same id
	 */
	Map<String, String> expected(Path export, String custodian, ZoneId zone) throws IOException {
		Map<String, String> expected = new HashMap<>();
		try (SourceReader reader = this.sources.open(export, Optional.empty(),
				new SourceOptions(custodian, zone, null))) {
			while (reader.hasNext()) {
				SourceRecord record = reader.next();
				if (record instanceof ChatRecord chat) {
					String id = io.chatvault.message.MessageIdentity.of(chat);
					if (expected.put(id, contentSha256(chat, custodian)) != null) {
						throw new IllegalStateException("Two records with id " + id);
					}
				}
			}
		}
		return expected;
	}

	/**
	 * Reads each expected message back through the vault (verified: stored hashes,
	 * authentication, the id recomputed from the record).
	 * @return the first few ids whose stored record does not hash as expected, with what
	 * was found; empty when all match
	 */
	List<String> mismatches(Map<String, String> expected) {
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<String, String> entry : expected.entrySet()) {
			String found;
			try {
				ArchivedRecord read = this.reader.record(entry.getKey()).orElseThrow();
				found = contentSha256(read.record(), read.conversation().custodian());
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
