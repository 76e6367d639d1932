package io.chatvault.vault;

import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link VaultReader} over the packs, the index and the receipts.
 */
final class PackedVaultReader implements VaultReader {

	private static final int PAGE = 1000;

	private final RecordReader records;

	private final Originals originals;

	private final StoredFiles files;

	private final MediaVault media;

	private final Holders holders;

	private final JdbcTemplate jdbc;

	private final ReadAhead readAhead = new ReadAhead(2, "vault-read-ahead");

	private final java.util.Map<Long, ExportReceipt> receipts = new java.util.LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(java.util.Map.Entry<Long, ExportReceipt> eldest) {
			return size() > 16;
		}
	};

	PackedVaultReader(RecordReader records, Originals originals, StoredFiles files, MediaVault media, Holders holders,
			JdbcTemplate jdbc) {
		this.records = records;
		this.originals = originals;
		this.files = files;
		this.media = media;
		this.holders = holders;
		this.jdbc = jdbc;
	}

	@Override
	public Optional<ArchivedRecord> record(String messageId) {
		return this.records.find(messageId.toLowerCase(java.util.Locale.ROOT));
	}

	@Override
	public List<Located> locate(List<String> messageIds) {
		return this.records.locate(messageIds);
	}

	@Override
	public List<String> custodians() {
		return this.jdbc.queryForList("SELECT name FROM vault_custodian c WHERE EXISTS (SELECT 1 FROM "
				+ "vault_conversation v WHERE v.custodian_id = c.id) ORDER BY name", String.class);
	}

	@Override
	public List<HeldConversation> conversations(String custodian) {
		return this.jdbc.query(
				"""
						SELECT c.source, c.conversation_id FROM vault_conversation c JOIN vault_custodian k ON k.id = c.custodian_id
						WHERE k.name = ? ORDER BY c.source, c.conversation_id
						""",
				(rs, i) -> new HeldConversation(rs.getString(1), rs.getString(2), custodian), custodian);
	}

	@Override
	public Stream<ArchivedRecord> records(HeldConversation conversation, Instant from, Instant to) {
		List<Integer> holdings = this.jdbc.queryForList(
				"SELECT id FROM vault_conversation WHERE source = ? AND conversation_id = ?", Integer.class,
				conversation.source(), conversation.conversationId());
		Optional<Integer> custodian = this.holders.findCustodian(conversation.custodian());
		if (holdings.isEmpty() || custodian.isEmpty()) {
			return Stream.empty();
		}
		Integer own = this.jdbc
			.queryForList(
					"SELECT id FROM vault_conversation WHERE source = ? AND conversation_id = ? AND "
							+ "custodian_id = ?",
					Integer.class, conversation.source(), conversation.conversationId(), custodian.get())
			.stream()
			.findFirst()
			.orElse(-1);
		Pages pages = new Pages(holdings.stream().mapToInt(Integer::intValue).toArray(), own, custodian.get(),
				(from != null) ? Timestamp.from(from) : null, (to != null) ? Timestamp.from(to) : null);
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false)
			.onClose(pages::close);
	}

	/**
	 * A record's index row and its block's place ({@code null} when the block is not
	 * indexed: reading the record then says so).
	 */
	private record Row(MessageIndex.Located located, PackIndex.BlockRef place) {
	}

	/** A page of rows; {@code last} when no page follows. */
	private record Page(List<Row> rows, boolean last) {
	}

	/**
	 * The records of one holding, page by page ({@value #PAGE} index rows at a time, each
	 * with its block's place, in one query). While the caller verifies the records of a
	 * page, the read-ahead threads read and open the page's blocks and fetch the next
	 * page, whose blocks follow as soon as it is there: memory stays at two pages and
	 * their blocks.
	 */
	private final class Pages implements Iterator<ArchivedRecord> {

		private final int[] holdings;

		private final int own;

		private final int custodian;

		private final Timestamp start;

		private final Timestamp end;

		private final ArrayDeque<Row> page = new ArrayDeque<>();

		private Map<Long, Future<RecordBlock.Layout>> blocks = new HashMap<>();

		private boolean started;

		private MessageIndex.Located lastOfPage;

		private Future<Page> next;

		private boolean nextBlocksAhead;

		Pages(int[] holdings, int own, int custodian, Timestamp start, Timestamp end) {
			this.holdings = holdings;
			this.own = own;
			this.custodian = custodian;
			this.start = start;
			this.end = end;
		}

		@Override
		public boolean hasNext() {
			while (this.page.isEmpty() && (!this.started || this.next != null)) {
				advance();
			}
			return !this.page.isEmpty();
		}

		@Override
		public ArchivedRecord next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			Row row = this.page.poll();
			if (this.next != null && !this.nextBlocksAhead && this.next.isDone()) {
				Page following = ReadAhead.resultOrNull(this.next);
				if (following != null) {
					readAhead(following.rows(), this.blocks);
				}
				this.nextBlocksAhead = true;
			}
			RecordBlock.Layout opened = (row.place() != null)
					? ReadAhead.resultOrNull(this.blocks.get(row.place().id())) : null;
			// A block the read-ahead could not open is read again here, failing with this
			// record's name.
			return PackedVaultReader.this.records.read(row.located(), row.place(), opened);
		}

		private void advance() {
			Page current = ReadAhead.resultOrNull(this.next);
			if (current == null) {
				current = query(this.lastOfPage);
			}
			this.started = true;
			this.next = null;
			Map<Long, Future<RecordBlock.Layout>> kept = new HashMap<>();
			for (Row row : current.rows()) {
				if (row.place() != null && this.blocks.containsKey(row.place().id())) {
					kept.put(row.place().id(), this.blocks.get(row.place().id()));
				}
			}
			this.blocks = kept;
			readAhead(current.rows(), this.blocks);
			this.page.addAll(current.rows());
			if (!current.last()) {
				MessageIndex.Located after = current.rows().get(current.rows().size() - 1).located();
				this.lastOfPage = after;
				this.next = PackedVaultReader.this.readAhead.submit(() -> query(after));
				this.nextBlocksAhead = false;
			}
		}

		private void readAhead(List<Row> rows, Map<Long, Future<RecordBlock.Layout>> into) {
			for (Row row : rows) {
				PackIndex.BlockRef place = row.place();
				if (place != null && !into.containsKey(place.id())) {
					String what = "message " + row.located().messageId();
					into.put(place.id(), PackedVaultReader.this.readAhead
						.submit(() -> PackedVaultReader.this.records.open(place, what)));
				}
			}
		}

		private Page query(MessageIndex.Located after) {
			StringBuilder union = new StringBuilder();
			List<Object> args = new ArrayList<>();
			for (int holding : this.holdings) {
				if (!union.isEmpty()) {
					union.append(" UNION ALL ");
				}
				union.append("SELECT m.message_id, m.block_id, m.ordinal, m.conversation, m.kind, m.sent_at ")
					.append("FROM vault_message m WHERE m.conversation = ?");
				args.add(holding);
				if (holding != this.own) {
					union.append(" AND EXISTS (SELECT 1 FROM vault_message_holder h WHERE h.message_id = m.message_id ")
						.append("AND h.custodian_id = ?)");
					args.add(this.custodian);
				}
				if (this.start != null) {
					union.append(" AND m.sent_at >= ?");
					args.add(this.start);
				}
				if (this.end != null) {
					union.append(" AND m.sent_at < ?");
					args.add(this.end);
				}
				if (after != null) {
					// The first condition lets the index on (conversation, sent_at) start
					// at
					// the page's end.
					Timestamp at = Timestamp.from(after.sentAt());
					union.append(" AND m.sent_at >= ? AND (m.sent_at, m.message_id) > (?, decode(?, 'hex'))");
					args.add(at);
					args.add(at);
					args.add(after.messageId());
				}
			}
			args.add(PAGE);
			List<Row> rows = PackedVaultReader.this.jdbc.query(
					"""
							SELECT encode(x.message_id, 'hex'), x.block_id, x.ordinal, x.conversation, x.kind, x.sent_at,
							       b.id, p.object_key, b.pack_offset, b.stored_length, b.stored_sha256, b.data_key_id, b.ordinal,
							       b.kind, b.plain_length
							FROM (%s ORDER BY sent_at, message_id LIMIT ?) x
							LEFT JOIN (vault_block b JOIN vault_pack p ON p.id = b.pack_id) ON b.id = x.block_id
							ORDER BY x.sent_at, x.message_id
							"""
						.formatted(union),
					(rs, i) -> new Row(
							new MessageIndex.Located(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4),
									rs.getShort(5), rs.getTimestamp(6).toInstant()),
							(rs.getObject(7) != null) ? new PackIndex.BlockRef(rs.getLong(7), rs.getString(8),
									rs.getLong(9), rs.getInt(10), rs.getBytes(11), rs.getLong(12), rs.getInt(13),
									BlockKind.of(rs.getInt(14)), rs.getInt(15)) : null),
					args.toArray());
			return new Page(rows, rows.size() < PAGE);
		}

		void close() {
			if (this.next != null) {
				this.next.cancel(false);
			}
			this.blocks.values().forEach((block) -> block.cancel(false));
		}

	}

	@Override
	public Optional<SourceFragment> source(String messageId) {
		Optional<ArchivedRecord> record = record(messageId);
		if (record.isEmpty() || record.get().rawFragment().isEmpty()) {
			return Optional.empty();
		}
		ArchivedRecord.RawFragment fragment = record.get().rawFragment().get();
		List<Long> fileIds = this.jdbc.queryForList(
				"SELECT id FROM vault_file WHERE kind = 1 AND sha256 = decode(?, 'hex') ORDER BY id", Long.class,
				fragment.fileSha256());
		if (fileIds.isEmpty()) {
			return Optional.empty();
		}
		Set<String> names = new LinkedHashSet<>();
		List<Long> receipts = this.jdbc.queryForList("SELECT DISTINCT receipt_id FROM vault_receipt_entry WHERE "
				+ "sha256 = decode(?, 'hex') ORDER BY receipt_id LIMIT 3", Long.class, fragment.fileSha256());
		for (long receiptId : receipts) {
			for (ExportReceipt.Entry entry : cachedReceipt(receiptId).entries()) {
				if (fragment.fileSha256().equals(entry.sha256())) {
					names.add(entry.name());
				}
			}
		}
		return Optional.of(new SourceFragment(record.get().messageId(), fragment.fileSha256(), fragment.offset(),
				fragment.length(), fileIds.get(0), new ArrayList<>(names)));
	}

	/**
	 * Receipts are sealed and small; a few stay decrypted for the next fragment's names.
	 */
	private ExportReceipt cachedReceipt(long receiptId) {
		synchronized (this.receipts) {
			ExportReceipt cached = this.receipts.get(receiptId);
			if (cached != null) {
				return cached;
			}
		}
		ExportReceipt receipt = this.originals.receipt(receiptId);
		synchronized (this.receipts) {
			this.receipts.put(receiptId, receipt);
		}
		return receipt;
	}

	@Override
	public InputStream openSource(SourceFragment fragment) {
		StoredFiles.FileRow file = this.files.file(fragment.fileId())
			.orElseThrow(() -> new NoSuchElementException("No stored file " + fragment.fileId()));
		return this.files.open(file, fragment.offset(), fragment.length());
	}

	@Override
	public List<ReceiptSummary> receipts(String custodian) {
		return this.jdbc.query("""
				SELECT r.id, r.received_at, encode(r.archive_sha256, 'hex'), r.archive_size, r.entries,
				       r.originals_stored_at
				FROM vault_receipt r JOIN vault_custodian k ON k.id = r.custodian_id
				WHERE k.name = ? AND r.object_key <> '' ORDER BY r.received_at, r.id
				""",
				(rs, i) -> new ReceiptSummary(rs.getLong(1), custodian, rs.getTimestamp(2).toInstant(), rs.getString(3),
						rs.getLong(4), rs.getInt(5),
						(rs.getTimestamp(6) != null) ? rs.getTimestamp(6).toInstant() : null),
				custodian);
	}

	@Override
	public ExportReceipt receipt(long receiptId) {
		try {
			return this.originals.receipt(receiptId);
		}
		catch (org.springframework.dao.EmptyResultDataAccessException ex) {
			throw new NoSuchElementException("No receipt " + receiptId);
		}
	}

	@Override
	public Optional<InputStream> openOriginal(ExportReceipt.Entry entry) {
		return this.files.openWhole(
				"SELECT file_id FROM vault_receipt_entry WHERE receipt_id = ? AND ordinal = ? AND file_id IS NOT NULL",
				entry.receiptId(), entry.ordinal());
	}

	@Override
	public Optional<InputStream> openMedia(String sha256) {
		return this.media.open(sha256);
	}

}
