package io.chatvault.vault;

import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
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
		Timestamp start = (from != null) ? Timestamp.from(from) : null;
		Timestamp end = (to != null) ? Timestamp.from(to) : null;
		Iterator<ArchivedRecord> pages = new Iterator<>() {

			private final ArrayDeque<MessageIndex.Located> page = new ArrayDeque<>();

			private Instant lastSentAt;

			private String lastId = "";

			private boolean exhausted;

			@Override
			public boolean hasNext() {
				if (this.page.isEmpty() && !this.exhausted) {
					fetch();
				}
				return !this.page.isEmpty();
			}

			@Override
			public ArchivedRecord next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				return PackedVaultReader.this.records.read(this.page.poll());
			}

			private void fetch() {
				Timestamp after = (this.lastSentAt != null) ? Timestamp.from(this.lastSentAt) : null;
				List<MessageIndex.Located> rows = PackedVaultReader.this.jdbc.query("""
						SELECT encode(m.message_id, 'hex'), m.block_id, m.ordinal, m.conversation, m.kind, m.sent_at
						FROM vault_message m
						WHERE m.conversation = ANY (?::int[])
						  AND (m.conversation = ? OR EXISTS (SELECT 1 FROM vault_message_holder h
						                                     WHERE h.message_id = m.message_id AND h.custodian_id = ?))
						  AND (?::timestamptz IS NULL OR (m.sent_at, m.message_id) > (?, decode(?, 'hex')))
						  AND (?::timestamptz IS NULL OR m.sent_at >= ?)
						  AND (?::timestamptz IS NULL OR m.sent_at < ?)
						ORDER BY m.sent_at, m.message_id
						LIMIT ?
						""",
						(rs, i) -> new MessageIndex.Located(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4),
								rs.getShort(5), rs.getTimestamp(6).toInstant()),
						holdings.stream().mapToInt(Integer::intValue).toArray(), own, custodian.get(), after, after,
						this.lastId, start, start, end, end, PAGE);
				if (rows.size() < PAGE) {
					this.exhausted = true;
				}
				if (!rows.isEmpty()) {
					MessageIndex.Located last = rows.get(rows.size() - 1);
					this.lastSentAt = last.sentAt();
					this.lastId = last.messageId();
				}
				this.page.addAll(rows);
			}

		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
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
		List<Long> fileIds = this.jdbc.queryForList(
				"SELECT file_id FROM vault_receipt_entry WHERE receipt_id = ? AND ordinal = ? AND file_id IS NOT NULL",
				Long.class, entry.receiptId(), entry.ordinal());
		return fileIds.stream().findFirst().flatMap(this.files::file).map(this.files::open);
	}

	@Override
	public Optional<InputStream> openMedia(String sha256) {
		return this.media.open(sha256);
	}

}
