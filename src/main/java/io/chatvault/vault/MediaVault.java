package io.chatvault.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.github.luben.zstd.Zstd;
import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.StreamingAead;
import io.chatvault.crypto.TamperedCiphertextException;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.StoredObject;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Media: content-addressed by the SHA-256 of the original bytes, so a photo forwarded to
 * ten chats is stored once. The bytes are cut into fixed-size chunks; each chunk is
 * compressed with zstd only when that saves a meaningful share (never for types that are
 * compressed already: JPEG, MP4, zip...), then sealed with the streaming AEAD and written
 * once as {@code media/<aa>/<sha256>/<chunk>}. Reads verify each chunk's stored hash and
 * the whole original's hash, so the original comes back bit-exact or not at all.
 *
 * <p>
 * Erasure scope: one data key per media object ({@code media:<sha256>}). Media is shared
 * across conversations and custodians by deduplication, so a conversation's key cannot
 * cover it: destroying it would erase the photo from every other conversation that
 * forwarded it, and keeping it would leave it readable after the conversation's erasure.
 * With a key per object, erasing a conversation destroys its key and the keys of the
 * media that no other retained message references.
 *
 * <p>
 * The bytes are read twice: once to hash them (the object keys depend on the hash, and
 * write-once objects cannot be renamed), once to store them, each chunk checked against
 * its hash from the first pass so that a file changing between the passes never stores a
 * wrong chunk. Chunk ciphertexts are derived deterministically from the content, so a
 * replay after a crash writes byte-identical objects that the store keeps once.
 */
public class MediaVault implements AutoCloseable {

	private static final int CHUNKS_IN_FLIGHT = 4;

	/** Types that are compressed already: zstd would only spend time. */
	private static final Set<String> COMPRESSED_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp",
			"image/heic", "image/heif", "image/avif", "application/zip", "application/gzip", "application/x-gzip",
			"application/zstd", "application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
			"application/x-bzip2", "application/x-xz");

	private static final byte STORED = 0;

	private static final byte ZSTD = 1;

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	private final StreamingAead aead = new StreamingAead();

	private final VaultProperties.Media settings;

	private final StoreWriter writer;

	public MediaVault(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc, VaultProperties.Media settings) {
		this.store = store;
		this.writer = new StoreWriter(store, CHUNKS_IN_FLIGHT, "media-writer");
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.settings = settings;
	}

	/**
	 * Stores an attachment's bytes unless the same bytes are stored already.
	 * @param attachment a {@link AttachmentStatus#PRESENT} attachment
	 * @param options retention of the objects, if they are written
	 * @return the stored media
	 * @throws VaultIntegrityException if the attachment's declared SHA-256 does not match
	 * its bytes, or its bytes changed while being stored
	 * @throws UncheckedIOException if the content cannot be read
	 */
	public StoredMedia store(Attachment attachment, WriteOptions options) {
		if (attachment.status() != AttachmentStatus.PRESENT || attachment.content() == null) {
			throw new IllegalArgumentException("attachment " + attachment.name() + " has no content to store");
		}
		if (attachment.sha256() != null) {
			Optional<StoredMedia> known = find(attachment.sha256());
			if (known.isPresent()) {
				return known.get();
			}
		}
		int chunkSize = Math.toIntExact(this.settings.chunkSize().toBytes());
		Fingerprint fingerprint = fingerprint(attachment, chunkSize);
		if (attachment.sha256() != null && !attachment.sha256().equalsIgnoreCase(fingerprint.sha256())) {
			throw new VaultIntegrityException("Attachment " + attachment.content() + " declares SHA-256 "
					+ attachment.sha256() + " but its bytes hash to " + fingerprint.sha256());
		}
		Optional<StoredMedia> known = find(fingerprint.sha256());
		if (known.isPresent()) {
			return known.get();
		}
		return write(attachment, fingerprint, chunkSize, options);
	}

	private StoredMedia write(Attachment attachment, Fingerprint fingerprint, int chunkSize, WriteOptions options) {
		String sha = fingerprint.sha256();
		DataKey key = this.dataKeys.forScope("media:" + sha);
		boolean compressible = compressible(attachment.mediaType());
		List<Object[]> chunkRows = new ArrayList<>();
		// Each chunk is checked, compressed, sealed and written on a background thread, a
		// few at a time, so both cores work and puts overlap while this thread reads on.
		java.util.ArrayDeque<java.util.concurrent.Future<Object[]>> inFlight = new java.util.ArrayDeque<>();
		try (InputStream in = attachment.content().open()) {
			for (int index = 0; index < fingerprint.chunkHashes().size(); index++) {
				byte[] chunk = in.readNBytes(chunkSize);
				if (inFlight.size() == CHUNKS_IN_FLIGHT) {
					chunkRows.add(StoreWriter.await(inFlight.removeFirst(), sha));
				}
				int chunkIndex = index;
				inFlight.addLast(this.writer
					.submit(() -> storeChunk(attachment, fingerprint, key, compressible, chunkIndex, chunk, options)));
			}
			if (in.read() != -1) {
				throw new VaultIntegrityException("Attachment " + attachment.content()
						+ " grew while it was being stored (media " + sha + "); nothing of it was recorded");
			}
			while (!inFlight.isEmpty()) {
				chunkRows.add(StoreWriter.await(inFlight.removeFirst(), sha));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read attachment " + attachment.content(), ex);
		}
		finally {
			// On failure, let the chunks under way finish before the chunk's transaction
			// rolls back; what they wrote is deterministic and is reused by a retry.
			inFlight.forEach((pending) -> {
				try {
					pending.get();
				}
				catch (Exception ignored) {
					// the first failure is the one reported
				}
			});
		}
		long storedBytes = chunkRows.stream().mapToLong((row) -> (int) row[4]).sum();
		this.jdbc.update(
				"INSERT INTO vault_media (sha256, size, media_type, chunk_size, chunks, data_key_id, stored_bytes, "
						+ "retain_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				sha, fingerprint.size(), attachment.mediaType(), chunkSize, chunkRows.size(), key.id(), storedBytes,
				Timestamp.from(options.retainUntil()));
		this.jdbc.batchUpdate("INSERT INTO vault_media_chunk (media_sha256, chunk_index, object_key, plain_length, "
				+ "stored_length, stored_sha256, compressed) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				chunkRows);
		return new StoredMedia(sha, fingerprint.size(), storedBytes, true);
	}

	private Object[] storeChunk(Attachment attachment, Fingerprint fingerprint, DataKey key, boolean compressible,
			int index, byte[] chunk, WriteOptions options) throws IOException {
		String sha = fingerprint.sha256();
		byte[] chunkHash = Sha256.digest().digest(chunk);
		if (!Arrays.equals(chunkHash, fingerprint.chunkHashes().get(index))) {
			throw new VaultIntegrityException("Attachment " + attachment.content() + " changed while it was "
					+ "being stored (chunk " + index + " of media " + sha + "); nothing of it was recorded");
		}
		byte[] compressed = compressible ? compress(chunk, chunk.length) : null;
		String objectKey = chunkKey(sha, index);
		byte[] sealed = seal(key, sha, index, chunk, chunk.length, compressed, chunkHash);
		if (this.store.put(objectKey, sealed, options) == PutOutcome.ALREADY_PRESENT) {
			checkPresent(objectKey, sealed.length);
		}
		return new Object[] { sha, index, objectKey, chunk.length, sealed.length, Sha256.hex(sealed),
				compressed != null };
	}

	private byte[] seal(DataKey key, String sha, int index, byte[] chunk, int length, byte[] compressed,
			byte[] chunkHash) throws IOException {
		byte[] body = (compressed != null) ? compressed : chunk;
		int bodyLength = (compressed != null) ? compressed.length : length;
		byte[] bodyHash = (compressed != null) ? Sha256.digest().digest(compressed) : chunkHash;
		// The nonce seed covers the exact plaintext, so it can only repeat for identical
		// bytes, even if a later zstd compresses the same chunk differently.
		byte[] seed = Sha256.ofFields("chatvault-media-v1", sha, Integer.toString(index),
				(compressed != null) ? "zstd" : "stored", java.util.HexFormat.of().formatHex(bodyHash));
		ByteArrayOutputStream sealed = new ByteArrayOutputStream((int) this.aead.ciphertextLength(bodyLength + 1));
		try (OutputStream out = this.aead.encrypt(sealed, key, seed)) {
			out.write((compressed != null) ? ZSTD : STORED);
			out.write(body, 0, bodyLength);
		}
		return sealed.toByteArray();
	}

	private byte[] compress(byte[] chunk, int length) {
		if (length < 512) {
			return null;
		}
		byte[] target = new byte[(int) Zstd.compressBound(length)];
		long n = Zstd.compressByteArray(target, 0, target.length, chunk, 0, length, this.settings.compressionLevel());
		if (Zstd.isError(n)) {
			return null;
		}
		long worthIt = (long) length * (100 - this.settings.minimumSavingPercent()) / 100;
		return (n <= worthIt) ? Arrays.copyOf(target, (int) n) : null;
	}

	static boolean compressible(String mediaType) {
		String type = mediaType.toLowerCase(Locale.ROOT);
		int parameters = type.indexOf(';');
		if (parameters >= 0) {
			type = type.substring(0, parameters).strip();
		}
		if (type.startsWith("video/") || (type.startsWith("audio/") && !type.contains("wav"))) {
			return false;
		}
		if (type.startsWith("application/vnd.openxmlformats") || type.startsWith("application/vnd.oasis")) {
			return false; // zip containers
		}
		return !COMPRESSED_TYPES.contains(type);
	}

	@Override
	public void close() {
		this.writer.close();
	}

	private void checkPresent(String objectKey, long expectedSize) {
		Optional<StoredObject> head = this.store.head(objectKey);
		if (head.isEmpty() || head.get().size() != expectedSize) {
			throw new VaultIntegrityException(
					"Object " + objectKey + " in " + this.store.name() + " exists but does not hold the expected "
							+ expectedSize + " bytes: " + head.map((h) -> h.size() + " bytes").orElse("missing"));
		}
	}

	private Fingerprint fingerprint(Attachment attachment, int chunkSize) {
		MessageDigest whole = Sha256.digest();
		// Chunk hashes are computed on the writer threads while this one hashes the
		// whole: the first pass then takes one hash's time, not two.
		List<java.util.concurrent.Future<byte[]>> chunkHashes = new ArrayList<>();
		int done = 0;
		long size = 0;
		try (InputStream in = attachment.content().open()) {
			while (true) {
				byte[] chunk = in.readNBytes(chunkSize);
				if (chunk.length == 0 && !chunkHashes.isEmpty()) {
					break;
				}
				if (chunkHashes.size() - done == CHUNKS_IN_FLIGHT) {
					// Memory stays at a few chunks whatever the size of the media.
					StoreWriter.await(chunkHashes.get(done++), "media chunk hashes of " + attachment.content());
				}
				chunkHashes.add(this.writer.submit(() -> Sha256.digest().digest(chunk)));
				whole.update(chunk);
				size += chunk.length;
				if (chunk.length < chunkSize) {
					break;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read attachment " + attachment.content(), ex);
		}
		List<byte[]> hashes = new ArrayList<>(chunkHashes.size());
		for (java.util.concurrent.Future<byte[]> hash : chunkHashes) {
			hashes.add(StoreWriter.await(hash, "media chunk hashes of " + attachment.content()));
		}
		return new Fingerprint(Sha256.hexOf(whole), size, hashes);
	}

	/**
	 * The stored media with this hash, if any.
	 * @param sha256 the hex SHA-256 of the original bytes
	 * @return what is stored
	 */
	public Optional<StoredMedia> find(String sha256) {
		return this.jdbc
			.query("SELECT sha256, size, stored_bytes FROM vault_media WHERE sha256 = ?",
					(rs, i) -> new StoredMedia(rs.getString(1), rs.getLong(2), rs.getLong(3), false),
					sha256.toLowerCase(Locale.ROOT))
			.stream()
			.findFirst();
	}

	/**
	 * Reads media back as a stream of the original bytes. Each chunk's stored hash is
	 * checked before it is decrypted, and the original's SHA-256 at the end: a mismatch
	 * fails the read with a {@link VaultIntegrityException} (wrapped in an
	 * {@link IOException} by the stream) naming the object.
	 * @param sha256 the hex SHA-256 of the original bytes
	 * @return the original bytes, or empty if no such media is stored
	 */
	public Optional<InputStream> open(String sha256) {
		String sha = sha256.toLowerCase(Locale.ROOT);
		List<ChunkRow> chunks = this.jdbc.query(
				"SELECT c.chunk_index, c.object_key, c.plain_length, c.stored_length, c.stored_sha256, m.data_key_id "
						+ "FROM vault_media_chunk c JOIN vault_media m ON m.sha256 = c.media_sha256 "
						+ "WHERE c.media_sha256 = ? ORDER BY c.chunk_index",
				(rs, i) -> new ChunkRow(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
						rs.getLong(6)),
				sha);
		if (chunks.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new MediaStream(sha, chunks.iterator()));
	}

	private byte[] readChunk(String sha, ChunkRow chunk) throws IOException {
		byte[] sealed;
		try (InputStream in = this.store.get(chunk.objectKey())
			.orElseThrow(() -> new VaultIntegrityException(
					"Object " + chunk.objectKey() + " of media " + sha + " is missing from " + this.store.name()))) {
			sealed = in.readAllBytes();
		}
		String storedSha = Sha256.hex(sealed);
		if (sealed.length != chunk.storedLength() || !storedSha.equals(chunk.storedSha256())) {
			throw new VaultIntegrityException("Object " + chunk.objectKey() + " of media " + sha + " in "
					+ this.store.name() + " does not match its index: " + sealed.length + " bytes with SHA-256 "
					+ storedSha + ", expected " + chunk.storedLength() + " bytes with SHA-256 " + chunk.storedSha256());
		}
		byte[] payload;
		try {
			payload = StreamingAead.decrypt(sealed, this.dataKeys::byId, chunk.objectKey());
		}
		catch (TamperedCiphertextException ex) {
			throw new VaultIntegrityException("Media " + sha + ": " + ex.getMessage(), ex);
		}
		if (payload.length == 0) {
			throw new VaultIntegrityException("Object " + chunk.objectKey() + " of media " + sha + " is empty");
		}
		if (payload[0] == ZSTD) {
			byte[] plain = new byte[chunk.plainLength()];
			long n = Zstd.decompressByteArray(plain, 0, plain.length, payload, 1, payload.length - 1);
			if (Zstd.isError(n) || n != plain.length) {
				throw new VaultIntegrityException("Object " + chunk.objectKey() + " of media " + sha
						+ " does not decompress to " + chunk.plainLength() + " bytes");
			}
			return plain;
		}
		return Arrays.copyOfRange(payload, 1, payload.length);
	}

	static String chunkKey(String sha256, int index) {
		return "media/" + sha256.substring(0, 2) + "/" + sha256 + "/" + String.format(Locale.ROOT, "%06d", index);
	}

	/**
	 * Media in the vault.
	 *
	 * @param sha256 hex SHA-256 of the original bytes
	 * @param size the original size
	 * @param storedBytes bytes of its chunk objects in the primary store
	 * @param written whether this call wrote it (false: it was there already)
	 */
	public record StoredMedia(String sha256, long size, long storedBytes, boolean written) {
	}

	private record Fingerprint(String sha256, long size, List<byte[]> chunkHashes) {
	}

	private record ChunkRow(int index, String objectKey, int plainLength, int storedLength, String storedSha256,
			long dataKeyId) {
	}

	/** Streams chunks one at a time, and checks the original's hash at the end. */
	private final class MediaStream extends InputStream {

		private final String sha;

		private final Iterator<ChunkRow> chunks;

		private final MessageDigest digest = Sha256.digest();

		private java.io.ByteArrayInputStream current = new java.io.ByteArrayInputStream(new byte[0]);

		private boolean verified;

		MediaStream(String sha, Iterator<ChunkRow> chunks) {
			this.sha = sha;
			this.chunks = chunks;
		}

		@Override
		public int read() throws IOException {
			return advance() ? this.current.read() : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) {
				return 0;
			}
			return advance() ? this.current.read(b, off, len) : -1;
		}

		/**
		 * Moves to the next chunk when this one is used up; false at the verified end.
		 */
		private boolean advance() throws IOException {
			while (this.current.available() == 0) {
				if (!this.chunks.hasNext()) {
					verify();
					return false;
				}
				byte[] chunk;
				try {
					chunk = readChunk(this.sha, this.chunks.next());
				}
				catch (VaultIntegrityException ex) {
					throw new IOException(ex.getMessage(), ex);
				}
				this.digest.update(chunk);
				this.current = new java.io.ByteArrayInputStream(chunk);
			}
			return true;
		}

		private void verify() throws IOException {
			if (!this.verified) {
				String actual = Sha256.hexOf(this.digest);
				if (!actual.equals(this.sha)) {
					throw new IOException(
							"Media " + this.sha + " read back with SHA-256 " + actual + ": chunks missing or altered");
				}
				this.verified = true;
			}
		}

	}

}
