package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKey;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.StoredObject;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stores byte streams (original export files, media) as content-defined chunks
 * ({@link FastCdc}) in packs: each chunk is named by its keyed id, compressed with zstd
 * when that helps, sealed as a block, and stored once per data key, so a later export of
 * the same chat stores only the chunks it does not share with the earlier one. The file
 * itself is a row in {@code vault_file} with its SHA-256 and the list of its chunks.
 *
 * <p>
 * Packs of chunks are sealed and written on the writer threads while the next chunks are
 * cut, at most two at a time, so memory stays at a few packs whatever the file's size.
 * Everything is deterministic (chunk cuts, ids, pack contents and bytes), so a store
 * replayed after a crash writes the objects the store already holds. The index rows go in
 * in the caller's transaction, after every pack is durably written.
 */
final class ChunkStore {

	private static final HexFormat HEX = HexFormat.of();

	private static final int LOOKUP_BATCH = 32;

	private static final int PACKS_IN_FLIGHT = 2;

	private final ObjectStore store;

	private final StoreWriter writer;

	private final PackIndex packs;

	private final JdbcTemplate jdbc;

	private final int compressionLevel;

	private final int minimumSavingPercent;

	private final long packBytes;

	ChunkStore(ObjectStore store, StoreWriter writer, JdbcTemplate jdbc, int compressionLevel, int minimumSavingPercent,
			long packBytes) {
		this.store = store;
		this.writer = writer;
		this.packs = new PackIndex(jdbc);
		this.jdbc = jdbc;
		this.compressionLevel = compressionLevel;
		this.minimumSavingPercent = minimumSavingPercent;
		this.packBytes = packBytes;
	}

	/**
	 * A stored file.
	 *
	 * @param id its {@code vault_file} id
	 * @param sha256 hex SHA-256 of its bytes
	 * @param size its size
	 * @param storedBytes bytes of packs this call wrote (0 when it was there already)
	 */
	record StoredFile(long id, String sha256, long size, long storedBytes) {
	}

	/**
	 * What to store.
	 *
	 * @param kind 1 for an original, 2 for media
	 * @param key the data key of its scope
	 * @param chunker chunk sizes
	 * @param compressible whether compressing its chunks can help
	 * @param options retention of the packs written
	 * @param mediaType the media type, or {@code null}
	 * @param expectedSha256 the hex SHA-256 the bytes must have, or {@code null}
	 * @param name names the file in messages
	 */
	record FileSpec(int kind, DataKey key, FastCdc chunker, boolean compressible, WriteOptions options,
			String mediaType, String expectedSha256, String name) {
	}

	/**
	 * The stored file with these bytes under this key, if any.
	 * @param sha256 hex SHA-256 of the bytes
	 * @param dataKeyId the key
	 * @return the file
	 */
	Optional<StoredFile> find(String sha256, long dataKeyId) {
		return this.jdbc
			.query("SELECT id, size FROM vault_file WHERE sha256 = decode(?, 'hex') AND data_key_id = ?",
					(rs, i) -> new StoredFile(rs.getLong(1), sha256, rs.getLong(2), 0), sha256, dataKeyId)
			.stream()
			.findFirst();
	}

	/**
	 * Stores a stream, in the caller's transaction.
	 * @param in the bytes; not closed
	 * @param spec how
	 * @return the stored file
	 * @throws IOException if the stream cannot be read
	 * @throws VaultIntegrityException if the bytes do not have the expected SHA-256
	 */
	StoredFile store(InputStream in, FileSpec spec) throws IOException {
		MessageDigest whole = Sha256.digest();
		ContentIds ids = new ContentIds();
		FastCdc.Chunks chunks = spec.chunker().chunks(in);
		List<String> fileChunks = new ArrayList<>();
		List<Long> plainOffsets = new ArrayList<>();
		Map<String, Long> known = new HashMap<>();
		Map<String, byte[]> batch = new LinkedHashMap<>();
		ArrayDeque<PendingPack> inFlight = new ArrayDeque<>();
		List<PendingPack> written = new ArrayList<>();
		Pack.Builder builder = new Pack.Builder();
		java.util.Set<String> packed = new java.util.HashSet<>();
		long size = 0;
		long batchBytes = 0;
		String sha;
		try {
			while (true) {
				byte[] chunk = chunks.next();
				if (chunk != null) {
					whole.update(chunk);
					String id = HEX.formatHex(ids.of(spec.key(), chunk));
					fileChunks.add(id);
					plainOffsets.add(size);
					size += chunk.length;
					if (!packed.contains(id) && !known.containsKey(id) && batch.putIfAbsent(id, chunk) == null) {
						batchBytes += chunk.length;
					}
				}
				if (batch.size() >= LOOKUP_BATCH || batchBytes >= this.packBytes
						|| (chunk == null && !batch.isEmpty())) {
					known.putAll(this.packs.chunks(spec.key().id(), batch.keySet()));
					for (Map.Entry<String, byte[]> candidate : batch.entrySet()) {
						if (known.containsKey(candidate.getKey()) || !packed.add(candidate.getKey())) {
							continue;
						}
						builder.add(block(spec, candidate.getKey(), candidate.getValue()));
						if (builder.payloadBytes() >= this.packBytes) {
							inFlight.add(write(builder, spec.options()));
							builder = new Pack.Builder();
							while (inFlight.size() > PACKS_IN_FLIGHT) {
								written.add(inFlight.removeFirst().await());
							}
						}
					}
					batch.clear();
					batchBytes = 0;
				}
				if (chunk == null) {
					break;
				}
			}
			// The file's manifest goes in its last pack, so that the store alone says
			// which chunks, in which order, make the file.
			sha = Sha256.hexOf(whole);
			if (spec.expectedSha256() != null && !spec.expectedSha256().equalsIgnoreCase(sha)) {
				throw new VaultIntegrityException(spec.name() + " declares SHA-256 " + spec.expectedSha256()
						+ " but its bytes hash to " + sha + "; nothing of it was recorded");
			}
			builder.add(manifest(spec, sha, size, fileChunks));
			inFlight.add(write(builder, spec.options()));
			while (!inFlight.isEmpty()) {
				written.add(inFlight.removeFirst().await());
			}
		}
		finally {
			// On failure, let the packs under way finish before the caller's transaction
			// rolls back: what they wrote is deterministic and a retry reuses it.
			for (PendingPack pending : inFlight) {
				pending.awaitQuietly();
			}
		}
		long storedBytes = 0;
		for (PendingPack pack : written) {
			long[] blockIds = this.packs.insert(pack.pack(), spec.options());
			for (int i = 0; i < blockIds.length; i++) {
				known.put(HEX.formatHex(pack.pack().blocks().get(i).identity()), blockIds[i]);
			}
			storedBytes += pack.created() ? pack.pack().bytes().length : 0;
		}
		Optional<StoredFile> existing = find(sha, spec.key().id());
		if (existing.isPresent()) {
			// Another writer stored the same bytes meanwhile; its rows stand.
			return new StoredFile(existing.get().id(), sha, size, storedBytes);
		}
		long fileId = this.jdbc.queryForObject(
				"INSERT INTO vault_file (kind, sha256, size, data_key_id, chunks, stored_bytes, media_type, "
						+ "retain_until) VALUES (?, decode(?, 'hex'), ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, data_key_id) "
						+ "DO UPDATE SET size = excluded.size RETURNING id",
				Long.class, spec.kind(), sha, size, spec.key().id(), fileChunks.size(), storedBytes, spec.mediaType(),
				Timestamp.from(spec.options().retainUntil()));
		long[] blockIds = new long[fileChunks.size()];
		long[] offsets = new long[fileChunks.size()];
		int[] ordinals = new int[fileChunks.size()];
		for (int i = 0; i < blockIds.length; i++) {
			Long block = known.get(fileChunks.get(i));
			if (block == null) {
				throw new IllegalStateException("chunk " + i + " of " + spec.name() + " was neither stored nor found");
			}
			blockIds[i] = block;
			offsets[i] = plainOffsets.get(i);
			ordinals[i] = i;
		}
		this.jdbc.update(
				"INSERT INTO vault_file_chunk (file_id, ordinal, block_id, plain_offset) SELECT ?, * FROM "
						+ "unnest(?::int[], ?::bigint[], ?::bigint[]) ON CONFLICT DO NOTHING",
				fileId, ordinals, blockIds, offsets);
		return new StoredFile(fileId, sha, size, storedBytes);
	}

	/**
	 * The file's manifest block: canonical JSON of its kind, hash, size and chunk ids.
	 */
	private Pack.BlockInput manifest(FileSpec spec, String sha, long size, List<String> chunkIds) {
		Map<String, Object> json = new java.util.TreeMap<>();
		json.put("chunks", chunkIds);
		json.put("kind", (spec.kind() == MediaVault.KIND) ? "media" : "original");
		if (spec.mediaType() != null) {
			json.put("mediaType", spec.mediaType());
		}
		json.put("sha256", sha);
		json.put("size", size);
		json.put("v", 2);
		byte[] plain = CanonicalJson.write(json);
		byte[] compressed = Pack.compress(plain, this.compressionLevel, 5);
		return new Pack.BlockInput(BlockKind.FILE, spec.key(), Sha256.digest().digest(plain), plain.length,
				(compressed != null) ? compressed : plain, compressed != null, chunkIds.size());
	}

	private Pack.BlockInput block(FileSpec spec, String id, byte[] chunk) {
		byte[] compressed = spec.compressible() ? Pack.compress(chunk, this.compressionLevel, this.minimumSavingPercent)
				: null;
		return new Pack.BlockInput((spec.kind() == MediaVault.KIND) ? BlockKind.MEDIA : BlockKind.ORIGINAL, spec.key(),
				HEX.parseHex(id), chunk.length, (compressed != null) ? compressed : chunk, compressed != null, 1);
	}

	private PendingPack write(Pack.Builder builder, WriteOptions options) {
		Future<Object[]> done = this.writer.submit(() -> {
			Pack.Finished pack = builder.finish(new BlockCipher());
			PutOutcome outcome = this.store.put(pack.objectKey(), pack.bytes(), options);
			if (outcome == PutOutcome.ALREADY_PRESENT) {
				checkPresent(pack.objectKey(), pack.bytes().length);
			}
			return new Object[] { pack, outcome == PutOutcome.CREATED };
		});
		return new PendingPack(done);
	}

	private void checkPresent(String objectKey, long expectedSize) {
		Optional<StoredObject> head = this.store.head(objectKey);
		if (head.isEmpty() || head.get().size() != expectedSize) {
			throw new VaultIntegrityException(
					"Object " + objectKey + " in " + this.store.name() + " exists but does not hold the expected "
							+ expectedSize + " bytes: " + head.map((h) -> h.size() + " bytes").orElse("missing"));
		}
	}

	/** A pack being sealed and written. */
	private static final class PendingPack {

		private final Future<Object[]> future;

		private Pack.Finished pack;

		private boolean created;

		PendingPack(Future<Object[]> future) {
			this.future = future;
		}

		PendingPack await() {
			Object[] result = StoreWriter.await(this.future, "a pack of chunks");
			this.pack = (Pack.Finished) result[0];
			this.created = (Boolean) result[1];
			return this;
		}

		void awaitQuietly() {
			try {
				this.future.get();
			}
			catch (Exception ex) {
				// the first failure is the one reported
			}
		}

		Pack.Finished pack() {
			return this.pack;
		}

		boolean created() {
			return this.created;
		}

	}

}
