package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyScope;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Media: content-addressed by the SHA-256 of the original bytes, so a photo forwarded to
 * ten chats is stored once. The bytes go through the same chunker and packs as the
 * original export files ({@link ChunkStore}, chunks of about 1 MiB); each chunk is
 * compressed with zstd only when that saves a meaningful share (never for types that are
 * compressed already: JPEG, MP4, zip...). Media is never transcoded: reads return the
 * original bytes, bit-exact, or fail.
 *
 * <p>
 * Erasure scope: one data key per media object ({@code media:<sha256>}). Media is shared
 * across conversations and custodians by deduplication, so a conversation's key cannot
 * cover it: destroying it would erase the photo from every other conversation that
 * forwarded it, and keeping it would leave it readable after the conversation's erasure.
 * With a key per object, erasing a conversation destroys its key and the keys of the
 * media that no other retained record references.
 *
 * <p>
 * When the attachment declares its SHA-256 (the readers hash media when they find it) the
 * bytes are read once: stored, and checked against the declaration at the end (a mismatch
 * records nothing). Otherwise they are hashed first, since the key's scope is named by
 * the hash.
 */
public class MediaVault {

	/** Types that are compressed already: zstd would only spend time. */
	private static final Set<String> COMPRESSED_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp",
			"image/heic", "image/heif", "image/avif", "application/zip", "application/gzip", "application/x-gzip",
			"application/zstd", "application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
			"application/x-bzip2", "application/x-xz");

	static final int KIND = 2;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	private final ChunkStore chunks;

	private final StoredFiles files;

	MediaVault(ObjectStore store, StoreWriter writer, DataKeys dataKeys, JdbcTemplate jdbc,
			VaultProperties.Media settings) {
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.chunks = new ChunkStore(store, writer, jdbc, settings.compressionLevel(), settings.minimumSavingPercent(),
				settings.packSize().toBytes());
		this.files = new StoredFiles(store, dataKeys, jdbc);
	}

	/**
	 * The erasure scope of a media object.
	 * @param sha256 hex SHA-256 of its bytes
	 * @return {@code media:<sha256>}
	 */
	public static KeyScope scope(String sha256) {
		return KeyScope.named("media:" + sha256.toLowerCase(Locale.ROOT));
	}

	/**
	 * Stores an attachment's bytes unless the same bytes are stored already, in the
	 * caller's transaction.
	 * @param attachment a {@link AttachmentStatus#PRESENT} attachment
	 * @param options retention of the objects, if they are written
	 * @return the stored media
	 * @throws VaultIntegrityException if the attachment's declared SHA-256 does not match
	 * its bytes
	 * @throws UncheckedIOException if the content cannot be read
	 */
	public StoredMedia store(Attachment attachment, WriteOptions options) {
		if (attachment.status() != AttachmentStatus.PRESENT || attachment.content() == null) {
			throw new IllegalArgumentException("attachment " + attachment.name() + " has no content to store");
		}
		try {
			String sha = attachment.sha256();
			if (sha != null) {
				Optional<StoredMedia> known = find(sha);
				if (known.isPresent()) {
					return known.get();
				}
			}
			else {
				try (InputStream in = attachment.content().open()) {
					sha = Sha256.hex(in).sha256();
				}
				Optional<StoredMedia> known = find(sha);
				if (known.isPresent()) {
					return known.get();
				}
			}
			DataKey key = this.dataKeys.forKeyScopes(java.util.List.of(scope(sha))).get(scope(sha).name());
			ChunkStore.StoredFile stored;
			try (InputStream in = attachment.content().open()) {
				stored = this.chunks.store(in,
						new ChunkStore.FileSpec(KIND, key, FastCdc.MEDIA, compressible(attachment.mediaType()), options,
								attachment.mediaType(), sha, "Attachment " + attachment.content()));
			}
			return new StoredMedia(stored.id(), stored.sha256(), stored.size(), stored.storedBytes(), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read attachment " + attachment.content(), ex);
		}
	}

	/**
	 * The stored media with this hash, if any.
	 * @param sha256 the hex SHA-256 of the original bytes
	 * @return what is stored
	 */
	public Optional<StoredMedia> find(String sha256) {
		return this.jdbc
			.query("SELECT id, encode(sha256, 'hex'), size, stored_bytes FROM vault_file WHERE kind = 2 AND "
					+ "sha256 = decode(?, 'hex')",
					(rs, i) -> new StoredMedia(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), false),
					sha256.toLowerCase(Locale.ROOT))
			.stream()
			.findFirst();
	}

	/**
	 * Reads media back as a stream of the original bytes. Each chunk is checked before it
	 * is released and the original's SHA-256 at the end: a mismatch fails the read with
	 * an {@link IOException} naming the object.
	 * @param sha256 the hex SHA-256 of the original bytes
	 * @return the original bytes, or empty if no such media is stored
	 */
	public Optional<InputStream> open(String sha256) {
		return this.files.openWhole("SELECT id FROM vault_file WHERE kind = 2 AND sha256 = decode(?, 'hex')",
				sha256.toLowerCase(Locale.ROOT));
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

	/**
	 * Media in the vault.
	 *
	 * @param fileId its {@code vault_file} id
	 * @param sha256 hex SHA-256 of the original bytes
	 * @param size the original size
	 * @param storedBytes bytes of packs written for it (by this call, when it wrote it)
	 * @param written whether this call wrote it (false: it was there already)
	 */
	public record StoredMedia(long fileId, String sha256, long size, long storedBytes, boolean written) {
	}

}
