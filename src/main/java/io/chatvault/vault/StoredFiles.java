package io.chatvault.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

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

	/** Chunks read ahead of the one a stream returns. */
	private static final int CHUNKS_AHEAD = 2;

	private final ReadAhead readAhead = new ReadAhead(2, "vault-chunk-read-ahead");

	private final ThreadLocal<Opener> openers;

	StoredFiles(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.openers = ThreadLocal.withInitial(() -> new Opener(new BlockReader(store, dataKeys), new ContentIds()));
	}

	/** A thread's block reader and chunk id hasher. */
	private record Opener(BlockReader reader, ContentIds ids) {
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
	 * Opens the whole file a query names, finding the file and its chunks in one round
	 * trip: what {@link #file} then {@link #open(FileRow)} do.
	 * @param fileId a query for the file's id (its first row counts)
	 * @param args the query's parameters
	 * @return the file's bytes, checked as {@link #open(FileRow)} checks them, or empty
	 * if there is no such file
	 */
	Optional<InputStream> openWhole(String fileId, Object... args) {
		FileRow[] file = new FileRow[1];
		List<ChunkRow> chunks = new ArrayList<>();
		this.jdbc
			.query("""
					SELECT f.id, f.kind, encode(f.sha256, 'hex'), f.size, f.data_key_id, f.media_type,
					       c.ordinal, c.plain_offset, b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256,
					       b.data_key_id, b.ordinal, b.plain_length, b.chunk_id, b.kind
					FROM vault_file f
					LEFT JOIN (vault_file_chunk c JOIN vault_block b ON b.id = c.block_id JOIN vault_pack p ON p.id = b.pack_id)
					  ON c.file_id = f.id
					WHERE f.id = (%s LIMIT 1)
					ORDER BY c.ordinal
					"""
				.formatted(fileId), (rs) -> {
					if (file[0] == null) {
						file[0] = new FileRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
								rs.getLong(5), rs.getString(6));
					}
					if (rs.getObject(7) != null) {
						chunks.add(chunkRow(rs, 7));
					}
				}, args);
		return Optional.ofNullable(file[0])
			.map((found) -> new ChunkStream(found, chunks.iterator(), 0, found.size(), true));
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
				""", (rs, i) -> chunkRow(rs, 1), fileId, Math.max(to, from + 1), fileId, from);
	}

	/**
	 * A chunk row from twelve columns: ordinal and plain offset of the chunk, then id,
	 * object key, offset, stored length, stored SHA-256, key, ordinal, plain length,
	 * chunk id and kind of its block.
	 */
	private static ChunkRow chunkRow(ResultSet rs, int first) throws SQLException {
		int c = first;
		return new ChunkRow(rs.getInt(c), rs.getLong(c + 1),
				new PackIndex.BlockRef(rs.getLong(c + 2), rs.getString(c + 3), rs.getLong(c + 4), rs.getInt(c + 5),
						rs.getBytes(c + 6), rs.getLong(c + 7), rs.getInt(c + 8), BlockKind.of(rs.getInt(c + 11)),
						rs.getInt(c + 9)),
				rs.getBytes(c + 10));
	}

	private record ChunkRow(int ordinal, long plainOffset, PackIndex.BlockRef block, byte[] chunkId) {
	}

	/** A chunk being read ahead. */
	private record Ahead(ChunkRow chunk, Future<byte[]> plain) {
	}

	/** Streams chunks one at a time. */
	private final class ChunkStream extends InputStream {

		private final FileRow file;

		private final Iterator<ChunkRow> chunks;

		private final MessageDigest digest = Sha256.digest();

		private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();

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
				fill();
				if (this.position >= this.end || this.ahead.isEmpty()) {
					finish();
					return false;
				}
				Ahead next = this.ahead.poll();
				ChunkRow chunk = next.chunk();
				fill();
				byte[] plain = ReadAhead.resultOrNull(next.plain());
				if (plain == null) {
					// Not read ahead, or failed there: read here, failing with its own
					// message.
					try {
						plain = chunk(chunk);
					}
					catch (VaultIntegrityException | io.chatvault.crypto.KeyUnavailableException ex) {
						throw new IOException(ex.getMessage(), ex);
					}
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

		/** Starts reading the next chunks on the read-ahead threads. */
		private void fill() {
			while (this.ahead.size() < CHUNKS_AHEAD && this.chunks.hasNext()) {
				ChunkRow chunk = this.chunks.next();
				this.ahead.add(new Ahead(chunk, StoredFiles.this.readAhead.submit(() -> chunk(chunk))));
			}
		}

		/** Reads, opens and checks a chunk on the calling thread. */
		private byte[] chunk(ChunkRow chunk) {
			Opener opener = StoredFiles.this.openers.get();
			String what = "chunk " + chunk.ordinal() + " of " + kind() + " " + this.file.sha256();
			byte[] plain = opener.reader().open(chunk.block(), what);
			byte[] id = opener.ids().of(StoredFiles.this.dataKeys.byId(chunk.block().dataKeyId()), plain);
			if (!MessageDigest.isEqual(id, chunk.chunkId())) {
				throw new VaultIntegrityException(opener.reader().where(chunk.block(), what)
						+ " holds other bytes than its chunk id " + HEX.formatHex(chunk.chunkId()) + " names");
			}
			return plain;
		}

		@Override
		public void close() {
			for (Ahead pending : this.ahead) {
				pending.plain().cancel(false);
			}
			this.ahead.clear();
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
