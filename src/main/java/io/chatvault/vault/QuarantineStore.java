package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyScope;
import io.chatvault.crypto.StreamingAead;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.StoredObject;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Quarantined input: raw bytes that could not be read as records, sealed with
 * {@link StreamingAead} under the custodian's quarantine key, one object per record, or,
 * for input too large to hold in memory (a whole export that cannot be read, a damaged or
 * refused zip entry), streamed into sealed parts of at most 4 MiB. The index
 * ({@code vault_quarantine}, {@code vault_quarantine_part}) keeps where they came from,
 * why, and their hashes. Idempotent: the same input quarantined again is kept once.
 */
final class QuarantineStore {

	static final int QUARANTINE_PART_BYTES = 4 << 20;

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final RetentionPolicies retention;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private final StreamingAead aead = new StreamingAead();

	QuarantineStore(ObjectStore store, DataKeys dataKeys, RetentionPolicies retention, JdbcTemplate jdbc,
			PlatformTransactionManager transactionManager, Clock clock) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.retention = retention;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/**
	 * The erasure scope of quarantined input: per custodian, since unparsed bytes belong
	 * to no known conversation.
	 * @param custodian the custodian
	 * @return the scope
	 */
	static KeyScope scope(String custodian) {
		return new KeyScope("quarantine:" + custodian, custodian, null, null);
	}

	private void checkPresent(String objectKey, long expectedSize) {
		Optional<StoredObject> head = this.store.head(objectKey);
		if (head.isEmpty() || head.get().size() != expectedSize) {
			throw new VaultIntegrityException(
					"Object " + objectKey + " in " + this.store.name() + " exists but does not hold the expected "
							+ expectedSize + " bytes: " + head.map((h) -> h.size() + " bytes").orElse("missing"));
		}
	}

	public boolean quarantine(QuarantinedRecord record, String custodian) {
		if (record.located().isPresent()) {
			try (InputStream in = record.located().get().open()) {
				return quarantine(record.origin(), record.reason(), in, custodian);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + record.located().get() + " to quarantine it", ex);
			}
		}
		String rawSha = Sha256.hex(record.raw());
		String fingerprint = Sha256.hexOfFields(custodian, record.origin().file(), record.origin().entry(),
				Long.toString(record.origin().line()), rawSha);
		return this.transaction.execute((status) -> {
			Integer known = this.jdbc.queryForObject("SELECT count(*) FROM vault_quarantine WHERE fingerprint = ?",
					Integer.class, fingerprint);
			if (known != null && known > 0) {
				return false;
			}
			DataKey key = this.dataKeys.forKeyScopes(List.of(scope(custodian))).get(scope(custodian).name());
			byte[] sealed = this.aead.encrypt(record.raw(), key,
					Sha256.ofFields("chatvault-quarantine-v1", fingerprint));
			String objectKey = "quarantine/" + fingerprint.substring(0, 2) + "/" + fingerprint;
			WriteOptions options = this.retention.resolver(List.of(custodian), this.clock.instant())
				.writeOptions(null, custodian);
			if (this.store.put(objectKey, sealed, options) == PutOutcome.ALREADY_PRESENT) {
				checkPresent(objectKey, sealed.length);
			}
			int inserted = this.jdbc.update("INSERT INTO vault_quarantine (fingerprint, custodian, origin_file, "
					+ "origin_entry, origin_line, reason, raw_sha256, raw_length, object_key, data_key_id, "
					+ "stored_sha256, stored_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
					fingerprint, custodian, record.origin().file(), record.origin().entry(), record.origin().line(),
					record.reason(), rawSha, record.rawLength(), objectKey, key.id(), Sha256.hex(sealed),
					sealed.length);
			return inserted == 1;
		});
	}

	public boolean quarantine(SourceLocation origin, String reason, InputStream raw, String custodian) {
		// The bytes are hashed while they are written, so the fingerprint is the
		// origin's:
		// the same place quarantined again (a replay, a restart) is the same entry.
		String fingerprint = Sha256.hexOfFields(custodian, origin.file(), origin.entry(), Long.toString(origin.line()),
				"streamed");
		if (quarantined(fingerprint)) {
			return false;
		}
		DataKey key = this.dataKeys.forKeyScopes(List.of(scope(custodian))).get(scope(custodian).name());
		WriteOptions options = this.retention.resolver(List.of(custodian), this.clock.instant())
			.writeOptions(null, custodian);
		String prefix = "quarantine/" + fingerprint.substring(0, 2) + "/" + fingerprint + "/";
		MessageDigest whole = Sha256.digest();
		MessageDigest storedHashes = Sha256.digest();
		List<Object[]> parts = new ArrayList<>();
		long rawLength = 0;
		long storedLength = 0;
		try {
			byte[] part;
			do {
				part = raw.readNBytes(QUARANTINE_PART_BYTES);
				if (part.length == 0 && !parts.isEmpty()) {
					break;
				}
				whole.update(part);
				String partSha = Sha256.hex(part);
				int index = parts.size();
				byte[] sealed = this.aead.encrypt(part, key,
						Sha256.ofFields("chatvault-quarantine-part-v1", fingerprint, Integer.toString(index), partSha));
				// The part's hash is in its key: a replay of the same bytes finds its
				// object, other bytes never meet a stale one.
				String objectKey = prefix + index + "-" + partSha.substring(0, 16);
				if (this.store.put(objectKey, sealed, options) == PutOutcome.ALREADY_PRESENT) {
					checkPresent(objectKey, sealed.length);
				}
				String sealedSha = Sha256.hex(sealed);
				storedHashes.update(sealedSha.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				parts.add(new Object[] { fingerprint, index, objectKey, part.length, sealed.length, sealedSha });
				rawLength += part.length;
				storedLength += sealed.length;
			}
			while (part.length == QUARANTINE_PART_BYTES);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + origin + " to quarantine it", ex);
		}
		String rawSha = java.util.HexFormat.of().formatHex(whole.digest());
		String storedSha = java.util.HexFormat.of().formatHex(storedHashes.digest());
		long length = rawLength;
		long stored = storedLength;
		return this.transaction.execute((status) -> {
			int inserted = this.jdbc.update(
					"INSERT INTO vault_quarantine (fingerprint, custodian, origin_file, "
							+ "origin_entry, origin_line, reason, raw_sha256, raw_length, object_key, data_key_id, "
							+ "stored_sha256, stored_length, parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
							+ "ON CONFLICT DO NOTHING",
					fingerprint, custodian, origin.file(), origin.entry(), origin.line(), reason, rawSha, length,
					prefix, key.id(), storedSha, stored, parts.size());
			if (inserted == 0) {
				return false;
			}
			this.jdbc.batchUpdate("INSERT INTO vault_quarantine_part (fingerprint, part_index, object_key, "
					+ "plain_length, stored_length, stored_sha256) VALUES (?, ?, ?, ?, ?, ?)", parts);
			return true;
		});
	}

	private boolean quarantined(String fingerprint) {
		Integer known = this.jdbc.queryForObject("SELECT count(*) FROM vault_quarantine WHERE fingerprint = ?",
				Integer.class, fingerprint);
		return known != null && known > 0;
	}

	/**
	 * Reads quarantined bytes back, checking each stored object's SHA-256 and the whole
	 * input's.
	 * @param fingerprint the quarantine entry ({@code vault_quarantine.fingerprint})
	 * @return the raw bytes as they were received, streamed part by part
	 * @throws VaultIntegrityException if a stored object or the whole does not match
	 * @throws java.util.NoSuchElementException if there is no such entry
	 */
	public InputStream openQuarantined(String fingerprint) {
		Map<String, Object> row = this.jdbc
			.queryForList(
					"SELECT object_key, stored_sha256, raw_sha256, parts FROM vault_quarantine WHERE fingerprint = ?",
					fingerprint)
			.stream()
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No quarantined input " + fingerprint));
		int partCount = ((Number) row.get("parts")).intValue();
		List<String[]> objects = (partCount == 0)
				? List.<String[]>of(new String[] { (String) row.get("object_key"), (String) row.get("stored_sha256") })
				: this.jdbc.query(
						"SELECT object_key, stored_sha256 FROM vault_quarantine_part WHERE fingerprint = ? "
								+ "ORDER BY part_index",
						(rs, n) -> new String[] { rs.getString(1), rs.getString(2) }, fingerprint);
		String rawSha = (String) row.get("raw_sha256");
		java.util.Iterator<String[]> remaining = objects.iterator();
		MessageDigest whole = Sha256.digest();
		return new java.io.SequenceInputStream(new java.util.Enumeration<InputStream>() {

			public boolean hasMoreElements() {
				return remaining.hasNext();
			}

			public InputStream nextElement() {
				byte[] plain = readQuarantinePart(remaining.next());
				whole.update(plain);
				if (!remaining.hasNext()) {
					String found = java.util.HexFormat.of().formatHex(whole.digest());
					if (!found.equals(rawSha)) {
						throw new VaultIntegrityException("Quarantined input " + fingerprint
								+ " reads back with SHA-256 " + found + ", the index says " + rawSha);
					}
				}
				return new java.io.ByteArrayInputStream(plain);
			}

		});
	}

	private byte[] readQuarantinePart(String[] object) {
		byte[] sealed;
		try (InputStream in = this.store.get(object[0])
			.orElseThrow(() -> new VaultIntegrityException(
					"Quarantine object " + object[0] + " is missing from " + this.store.name()))) {
			sealed = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new VaultIntegrityException("Cannot read quarantine object " + object[0] + ": " + ex.getMessage(),
					ex);
		}
		if (!Sha256.hex(sealed).equals(object[1])) {
			throw new VaultIntegrityException("Quarantine object " + object[0] + " does not hold the bytes stored");
		}
		try {
			return StreamingAead.decrypt(sealed, this.dataKeys::byId, object[0]);
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Cannot decrypt quarantine object " + object[0] + ": " + ex.getMessage(),
					ex);
		}
	}

}
