package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.Vault;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an archive must hold after migrating an export, computed from the export itself,
 * and what it does hold, read back through the vault.
 */
final class ArchiveContents {

	private ArchiveContents() {
	}

	/**
	 * The parsed records of an export: message id to the SHA-256 of its canonical record.
	 * @throws IllegalStateException if two records have the same id
	 */
	static Map<String, String> expected(ExportSources sources, Vault vault, Path export, String custodian, ZoneId zone)
			throws IOException {
		Map<String, String> expected = new HashMap<>();
		try (SourceReader reader = sources.open(export, Optional.empty(), new SourceOptions(custodian, zone, null))) {
			while (reader.hasNext()) {
				SourceRecord record = reader.next();
				if (record instanceof ChatRecord chat) {
					ArchiveRequest request = vault.prepare(chat, custodian);
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
	static List<String> mismatches(Vault vault, Map<String, String> expected) {
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<String, String> entry : expected.entrySet()) {
			String found;
			try {
				found = sha256(vault.readCanonical(entry.getKey()));
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
	static long messageCount(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
	}

	static long quarantineCount(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM vault_quarantine").query(Long.class).single();
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
