package io.chatvault.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import io.chatvault.crypto.DataKeys;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads stored files (originals and media) back from their chunks: each chunk's block is
 * read and opened by {@link BlockReader}, its keyed id recomputed and compared with the
 * index, and a whole file's SHA-256 checked at its end, so the bytes come back bit-exact
 * or the read fails naming what does not match.
 */
final class StoredFiles {

	private static final HexFormat HEX = HexFormat.of();

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	StoredFiles(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
	}

	/**
	 * A stored file's facts.
	 *
	 * @param id its id
	 * @param kind 1 original, 2 media
	 * @param sha256 hex SHA-256 of its bytes
	 * @param size its size
	 * @param dataKeyId the key of its chunks
	 * @param mediaType its media type, or {@code null}
	 */
	record FileRow(long id, int kind, String sha256, long size, long dataKeyId, String mediaType) {
	}

	Optional<FileRow> file(long id) {
		return this.jdbc
			.query("SELECT id, kind, encode(sha256, 'hex'), size, data_key_id, media_type FROM vault_file WHERE id = ?",
					(rs, i) -> new FileRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
							rs.getString(6)),
					id)
			.stream()
			.findFirst();
	}

	/**
	 * Opens a whole file.
	 * @param file the file
	 * @return its bytes, checked chunk by chunk and as a whole at the end (a mismatch
	 * fails a read with an {@link IOException} wrapping a
	 * {@link VaultIntegrityException})
	 */
	InputStream open(FileRow file) {
		List<ChunkRow> chunks = chunks(file.id(), 0, Long.MAX_VALUE);
		return new ChunkStream(file, chunks.iterator(), 0, file.size(), true);
	}

	/**
	 * Opens a byte range of a file, reading only the chunks that hold it.
	 * @param file the file
	 * @param offset the first byte
	 * @param length how many bytes
	 * @return the bytes, each chunk checked
	 */
	InputStream open(FileRow file, long offset, long length) {
		if (offset < 0 || length < 0 || offset + length > file.size()) {
			throw new IllegalArgumentException("bytes " + offset + "+" + length + " are outside file " + file.sha256()
					+ " of " + file.size() + " bytes");
		}
		List<ChunkRow> chunks = chunks(file.id(), offset, offset + length);
		return new ChunkStream(file, chunks.iterator(), offset, length, false);
	}

	private List<ChunkRow> chunks(long fileId, long from, long to) {
		return this.jdbc.query("""
				SELECT c.ordinal, c.plain_offset, b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256,
				       b.data_key_id, b.ordinal, b.plain_length, b.chunk_id, b.kind
				FROM vault_file_chunk c JOIN vault_block b ON b.id = c.block_id JOIN vault_pack p ON p.id = b.pack_id
				WHERE c.file_id = ? AND c.plain_offset < ?
				  AND c.plain_offset >= coalesce((SELECT max(plain_offset) FROM vault_file_chunk
				                                  WHERE file_id = ? AND plain_offset <= ?), 0)
				ORDER BY c.ordinal
				""", (rs, i) -> new ChunkRow(rs.getInt(1), rs.getLong(2),
				new PackIndex.BlockRef(rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getInt(6), rs.getBytes(7),
						rs.getLong(8), rs.getInt(9), BlockKind.of(rs.getInt(12)), rs.getInt(10)),
				rs.getBytes(11)), fileId, Math.max(to, from + 1), fileId, from);
	}

	private record ChunkRow(int ordinal, long plainOffset, PackIndex.BlockRef block, byte[] chunkId) {
	}

	/** Streams chunks one at a time. */
	private final class ChunkStream extends InputStream {

		private final FileRow file;

		private final Iterator<ChunkRow> chunks;

		private final MessageDigest digest = Sha256.digest();

		private final BlockReader reader = new BlockReader(StoredFiles.this.store, StoredFiles.this.dataKeys);

		private final ContentIds ids = new ContentIds();

		private final long end;

		private final boolean whole;

		private long position;

		private ByteArrayInputStream current = new ByteArrayInputStream(new byte[0]);

		private boolean verified;

		ChunkStream(FileRow file, Iterator<ChunkRow> chunks, long offset, long length, boolean whole) {
			this.file = file;
			this.chunks = chunks;
			this.position = offset;
			this.end = offset + length;
			this.whole = whole;
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

		private boolean advance() throws IOException {
			while (this.current.available() == 0) {
				if (this.position >= this.end || !this.chunks.hasNext()) {
					finish();
					return false;
				}
				ChunkRow chunk = this.chunks.next();
				byte[] plain;
				try {
					plain = chunk(chunk);
				}
				catch (VaultIntegrityException | io.chatvault.crypto.KeyUnavailableException ex) {
					throw new IOException(ex.getMessage(), ex);
				}
				if (this.whole) {
					this.digest.update(plain);
				}
				int from = (int) Math.max(0, this.position - chunk.plainOffset());
				int to = (int) Math.min(plain.length, this.end - chunk.plainOffset());
				if (from >= to) {
					continue;
				}
				this.current = new ByteArrayInputStream(plain, from, to - from);
				this.position = chunk.plainOffset() + to;
			}
			return true;
		}

		private byte[] chunk(ChunkRow chunk) {
			String what = "chunk " + chunk.ordinal() + " of " + kind() + " " + this.file.sha256();
			byte[] plain = this.reader.open(chunk.block(), what);
			byte[] id = this.ids.of(StoredFiles.this.dataKeys.byId(chunk.block().dataKeyId()), plain);
			if (!MessageDigest.isEqual(id, chunk.chunkId())) {
				throw new VaultIntegrityException(this.reader.where(chunk.block(), what) + " holds other bytes than "
						+ "its chunk id " + HEX.formatHex(chunk.chunkId()) + " names");
			}
			return plain;
		}

		private String kind() {
			return (this.file.kind() == 2) ? "media" : "original";
		}

		private void finish() throws IOException {
			if (this.position < this.end) {
				throw new IOException(kind() + " " + this.file.sha256() + ": chunks missing from the index after byte "
						+ this.position + " of " + this.end);
			}
			if (this.whole && !this.verified) {
				String actual = Sha256.hexOf(this.digest);
				if (!actual.equals(this.file.sha256())) {
					throw new IOException(kind() + " " + this.file.sha256() + " read back with SHA-256 " + actual
							+ ": chunks missing, reordered or altered");
				}
				this.verified = true;
			}
		}

	}

}
