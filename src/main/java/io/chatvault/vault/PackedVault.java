package io.chatvault.vault;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.chatvault.crypto.BlockCipher;
import io.chatvault.crypto.DataKey;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyScope;
import io.chatvault.crypto.StreamingAead;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.StoredObject;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The vault, format 2 (see {@link Vault} and docs/vault.md). A chunk of records becomes
 * one pack per retention: for each conversation as a custodian holds it, its records
 * (sorted by time, then id) are cut into blocks of about
 * {@code chatvault.vault.records.block-size} of canonical JSON, each compressed with zstd
 * and sealed under that holding's data key; conversation states not stored yet go in
 * blocks of their own. The pack is written once (primary and replica) while its index
 * rows go in; the chunk waits for the put before it commits.
 *
 * <p>
 * A chunk is crash-safe without any cleanup: data keys, custodian and conversation ids
 * are committed before anything is sealed, and a pack's key and bytes follow from its
 * blocks and keys, so a chunk replayed after a crash between the store write and the
 * index commit writes the very same pack, which the write-once store keeps once, and then
 * commits the index rows.
 */
public class PackedVault implements Vault, AutoCloseable {

	private static final HexFormat HEX = HexFormat.of();

	/** Records per block at most: the ordinal is a SMALLINT. */
	private static final int MAX_RECORDS_PER_BLOCK = Short.MAX_VALUE;

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final MediaVault media;

	private final Originals originals;

	private final RetentionPolicies retention;

	private final Holders holders;

	private final MessageIndex index;

	private final PackIndex packs;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final ThreadLocal<CanonicalRecords> canonical = ThreadLocal.withInitial(CanonicalRecords::new);

	private final QuarantineStore quarantine;

	private final Clock clock;

	private final StoreWriter writer;

	private final VaultProperties properties;

	private final Optional<RecordTokens> tokens;

	private final RecordReader records;

	PackedVault(ObjectStore store, DataKeys dataKeys, MediaVault media, Originals originals,
			RetentionPolicies retention, Holders holders, DataSource dataSource, JdbcTemplate jdbc,
			PlatformTransactionManager transactionManager, Clock clock, StoreWriter writer, VaultProperties properties,
			Optional<RecordTokens> tokens, RecordReader records) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.media = media;
		this.originals = originals;
		this.retention = retention;
		this.holders = holders;
		this.index = new MessageIndex(dataSource, jdbc);
		this.packs = new PackIndex(jdbc);
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.clock = clock;
		this.writer = writer;
		this.properties = properties;
		this.tokens = tokens;
		this.records = records;
		this.quarantine = new QuarantineStore(store, dataKeys, retention, jdbc, transactionManager, clock);
	}

	@Override
	public void close() {
		// The writer is shared and closed by its owner.
	}

	@Override
	public ArchiveRequest prepare(ChatRecord record, String custodian, ExportReceipt receipt) {
		ExportReceipt.Entry entry = (receipt != null && record.origin().hasSpan())
				? receipt.entryFor(record.origin()).orElse(null) : null;
		byte[] canonicalBytes = this.canonical.get().encode(record, (entry != null) ? entry.sha256() : null);
		return new ArchiveRequest(MessageIdentity.of(record), custodian, record, canonicalBytes,
				Sha256.hex(canonicalBytes), entry);
	}

	@Override
	public ArchiveSummary archive(List<ArchiveRequest> requests) {
		if (requests.isEmpty()) {
			return new ArchiveSummary(0, 0, 0);
		}
		Map<String, ArchiveRequest> unique = new LinkedHashMap<>();
		for (ArchiveRequest request : requests) {
			requireSha256(request.messageId(), "message id", request);
			requireSha256(request.recordSha256(), "record SHA-256", request);
			unique.putIfAbsent(request.messageId(), request);
		}
		int duplicatesInChunk = requests.size() - unique.size();
		Map<HeldConversation, Integer> conversations = this.holders.conversations(
				unique.values().stream().map((r) -> HeldConversation.of(r.record(), r.custodian())).toList());
		ArchiveSummary summary = this.transaction.execute((status) -> archiveUnique(unique, conversations));
		return new ArchiveSummary(summary.archived(), summary.duplicates() + duplicatesInChunk, summary.bytesStored());
	}

	private ArchiveSummary archiveUnique(Map<String, ArchiveRequest> unique,
			Map<HeldConversation, Integer> conversations) {
		Map<String, String> archived = this.index.archived(unique.keySet());
		List<Object[]> furtherHolders = new ArrayList<>();
		List<Object[]> receiptConversations = new ArrayList<>();
		Set<String> receiptConversationSeen = new HashSet<>();
		List<ArchiveRequest> fresh = new ArrayList<>();
		for (ArchiveRequest request : unique.values()) {
			HeldConversation held = HeldConversation.of(request.record(), request.custodian());
			if (request.rawEntry() != null && request.rawEntry().sha256() != null) {
				// Which conversations each export file held: duplicates count too, the
				// file is this custodian's.
				long receiptId = request.rawEntry().receiptId();
				String key = receiptId + ":" + request.rawEntry().ordinal() + ":" + conversations.get(held);
				if (receiptConversationSeen.add(key)) {
					receiptConversations
						.add(new Object[] { receiptId, request.rawEntry().ordinal(), conversations.get(held) });
				}
			}
			String firstCustodian = archived.get(request.messageId());
			if (firstCustodian == null) {
				fresh.add(request);
			}
			else if (!firstCustodian.equals(request.custodian())) {
				furtherHolders.add(new Object[] { request.messageId(), this.holders.custodian(request.custodian()) });
			}
		}
		this.index.addHolders(furtherHolders);
		this.originals.recordConversations(receiptConversations);
		if (fresh.isEmpty()) {
			return new ArchiveSummary(0, unique.size(), 0);
		}
		Instant now = this.clock.instant();
		RetentionPolicies.Resolver policies = this.retention
			.resolver(fresh.stream().map(ArchiveRequest::custodian).toList(), now);
		Map<String, KeyScope> scopes = new HashMap<>();
		for (ArchiveRequest request : fresh) {
			KeyScope scope = HeldConversation.of(request.record(), request.custodian()).keyScope();
			scopes.put(scope.name(), scope);
		}
		Map<String, DataKey> keys = this.dataKeys.forKeyScopes(scopes.values());

		long bytesStored = 0;
		List<Object[]> attachmentRows = new ArrayList<>();
		for (ArchiveRequest request : fresh) {
			bytesStored += storeMedia(request, policies.writeOptions(request.record().source(), request.custodian()),
					attachmentRows);
		}
		// One pack per retention: disposal deletes whole packs, so a pack never mixes
		// records that expire apart.
		Map<RetentionPolicies.RetentionClass, List<ArchiveRequest>> byRetention = new LinkedHashMap<>();
		for (ArchiveRequest request : fresh) {
			byRetention
				.computeIfAbsent(policies.retentionClass(request.record().source(), request.custodian()),
						(k) -> new ArrayList<>())
				.add(request);
		}
		Set<String> inserted = new HashSet<>();
		for (Map.Entry<RetentionPolicies.RetentionClass, List<ArchiveRequest>> group : byRetention.entrySet()) {
			bytesStored += archivePack(group.getValue(), group.getKey(), keys, conversations, inserted);
		}
		this.index
			.insertAttachments(attachmentRows.stream().filter((row) -> inserted.contains((String) row[0])).toList());
		// Rows another writer inserted meanwhile are duplicates; their pack entries stay
		// unreferenced, which costs bytes but never correctness.
		return new ArchiveSummary(inserted.size(), unique.size() - inserted.size(), bytesStored);
	}

	private long archivePack(List<ArchiveRequest> requests, RetentionPolicies.RetentionClass retentionClass,
			Map<String, DataKey> keys, Map<HeldConversation, Integer> conversations, Set<String> inserted) {
		// Sorted, so that a replayed chunk builds a byte-identical pack; by time within a
		// conversation, so that a block holds neighbouring records.
		Map<HeldConversation, List<ArchiveRequest>> byHolder = new TreeMap<>(
				Comparator.comparing(HeldConversation::source)
					.thenComparing(HeldConversation::conversationId)
					.thenComparing(HeldConversation::custodian));
		for (ArchiveRequest request : requests) {
			byHolder
				.computeIfAbsent(HeldConversation.of(request.record(), request.custodian()), (k) -> new ArrayList<>())
				.add(request);
		}
		Pack.Builder pack = new Pack.Builder();
		ContentIds ids = new ContentIds();
		List<Object[]> stateRows = new ArrayList<>();
		List<int[]> stateBlocks = new ArrayList<>();
		List<List<ArchiveRequest>> recordBlocks = new ArrayList<>();
		List<HeldConversation> recordBlockHolders = new ArrayList<>();
		List<Integer> recordBlockPlaces = new ArrayList<>();
		int blockSize = Math.toIntExact(this.properties.records().blockSize().toBytes());
		int level = this.properties.records().compressionLevel();
		// Conversation states each holding has not stored yet, found with one query for
		// the whole pack. Keyed by the HMAC of the state's SHA-256 (which the records
		// name), so the index cannot confirm a guessed conversation.
		Map<HeldConversation, Map<String, byte[]>> statesByHolder = new HashMap<>();
		Map<Integer, Set<String>> stateIdsByConversation = new HashMap<>();
		for (Map.Entry<HeldConversation, List<ArchiveRequest>> entry : byHolder.entrySet()) {
			entry.getValue()
				.sort(Comparator.comparing((ArchiveRequest r) -> r.record().sentAt())
					.thenComparing(ArchiveRequest::messageId));
			DataKey key = keys.get(entry.getKey().keyScope().name());
			Map<String, byte[]> states = new LinkedHashMap<>();
			Conversation last = null;
			for (ArchiveRequest request : entry.getValue()) {
				// By value: equal conversations have one state (a source may make a new
				// but equal conversation for every record).
				if (!request.record().conversation().equals(last)) {
					last = request.record().conversation();
					byte[] state = CanonicalRecords.conversation(last);
					states.putIfAbsent(HEX.formatHex(ids.of(key, Sha256.digest().digest(state))), state);
				}
			}
			statesByHolder.put(entry.getKey(), states);
			stateIdsByConversation.computeIfAbsent(conversations.get(entry.getKey()), (c) -> new HashSet<>())
				.addAll(states.keySet());
		}
		Map<Integer, Set<String>> knownStates = this.index.knownStates(stateIdsByConversation);
		for (Map.Entry<HeldConversation, List<ArchiveRequest>> entry : byHolder.entrySet()) {
			HeldConversation holder = entry.getKey();
			List<ArchiveRequest> list = entry.getValue();
			DataKey key = keys.get(holder.keyScope().name());
			int conversation = conversations.get(holder);
			Set<String> known = knownStates.getOrDefault(conversation, Set.of());
			for (Map.Entry<String, byte[]> state : statesByHolder.get(holder).entrySet()) {
				if (!known.contains(state.getKey())) {
					byte[] compressed = Pack.compress(state.getValue(), level, 5);
					stateBlocks.add(new int[] { pack.size(), conversation });
					stateRows.add(new Object[] { conversation, state.getKey() });
					pack.add(new Pack.BlockInput(BlockKind.CONVERSATION, key, Sha256.digest().digest(state.getValue()),
							state.getValue().length, (compressed != null) ? compressed : state.getValue(),
							compressed != null, 1));
				}
			}
			byte[] holderJson = holder.canonical();
			int from = 0;
			while (from < list.size()) {
				int to = from;
				int size = holderJson.length;
				while (to < list.size() && (to == from || size + list.get(to).canonical().length <= blockSize)
						&& to - from < MAX_RECORDS_PER_BLOCK) {
					size += list.get(to).canonical().length;
					to++;
				}
				List<ArchiveRequest> block = list.subList(from, to);
				List<byte[]> canonicals = new ArrayList<>(block.size());
				for (ArchiveRequest request : block) {
					canonicals.add(request.canonical());
				}
				byte[] plain = RecordBlock.encode(holderJson, canonicals);
				byte[] compressed = Pack.compress(plain, level, 0);
				recordBlocks.add(block);
				recordBlockHolders.add(holder);
				recordBlockPlaces.add(pack.size());
				pack.add(new Pack.BlockInput(BlockKind.RECORDS, key, Sha256.digest().digest(plain), plain.length,
						(compressed != null) ? compressed : plain, compressed != null, block.size()));
				from = to;
			}
		}
		Pack.Finished finished = pack.finish(new BlockCipher());
		WriteOptions options = retentionClass.options();
		// The pack is written while its index rows go in; both finish before the commit.
		StoreWriter.Pending put = this.writer.put(finished.objectKey(), finished.bytes(), options);
		long[] blockIds;
		try {
			blockIds = this.packs.insert(finished, retentionClass);
		}
		catch (RuntimeException ex) {
			put.awaitQuietly();
			throw ex;
		}
		List<Object[]> stateInserts = new ArrayList<>(stateRows.size());
		for (int i = 0; i < stateRows.size(); i++) {
			stateInserts
				.add(new Object[] { stateRows.get(i)[0], stateRows.get(i)[1], blockIds[stateBlocks.get(i)[0]] });
		}
		this.index.insertStates(stateInserts);
		List<MessageIndex.Row> rows = new ArrayList<>(requests.size());
		RecordTokens tokens = this.tokens.orElse(null);
		for (int b = 0; b < recordBlocks.size(); b++) {
			long blockId = blockIds[recordBlockPlaces.get(b)];
			int conversation = conversations.get(recordBlockHolders.get(b));
			List<ArchiveRequest> block = recordBlocks.get(b);
			for (int ordinal = 0; ordinal < block.size(); ordinal++) {
				ArchiveRequest request = block.get(ordinal);
				rows.add(new MessageIndex.Row(request.messageId(), blockId, ordinal, conversation,
						request.record().kind(), request.record().sentAt(),
						(tokens != null) ? tokens.tokens(request.record()) : null));
			}
		}
		try {
			inserted.addAll(this.index.insert(rows));
		}
		catch (RuntimeException ex) {
			put.awaitQuietly();
			throw ex;
		}
		if (put.await() == PutOutcome.ALREADY_PRESENT) {
			// A replay: the pack from the first attempt is there, with its retention.
			StoredObject existing = checkPresent(finished.objectKey(), finished.bytes().length);
			if (existing.retainUntil() != null && !existing.retainUntil().equals(options.retainUntil())) {
				this.jdbc.update("UPDATE vault_pack SET retain_until = ? WHERE object_key = ?",
						java.sql.Timestamp.from(existing.retainUntil()), finished.objectKey());
			}
			return 0;
		}
		return finished.bytes().length;
	}

	/** Ids and hashes are stored as 32 raw bytes: they must be what prepare makes. */
	private static void requireSha256(String value, String what, ArchiveRequest request) {
		if (!isSha256Hex(value)) {
			throw new IllegalArgumentException("Archive request for " + request.record().origin() + ": the " + what
					+ " must be 64 lowercase hex characters, as Vault.prepare makes it, not '" + value + "'");
		}
	}

	/** Whether a value is 64 lowercase hex digits (a regex costs more than the check). */
	private static boolean isSha256Hex(String value) {
		if (value == null || value.length() != 64) {
			return false;
		}
		for (int i = 0; i < 64; i++) {
			char c = value.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	private long storeMedia(ArchiveRequest request, WriteOptions options, List<Object[]> attachmentRows) {
		long written = 0;
		List<Attachment> attachments = request.record().attachments();
		for (int ordinal = 0; ordinal < attachments.size(); ordinal++) {
			Attachment attachment = attachments.get(ordinal);
			if (attachment.status() == AttachmentStatus.PRESENT && attachment.content() != null) {
				MediaVault.StoredMedia stored;
				try {
					stored = this.media.store(attachment, options);
				}
				catch (UncheckedIOException ex) {
					throw new VaultIntegrityException("Message " + request.messageId() + " ("
							+ request.record().origin() + "): " + ex.getMessage(), ex);
				}
				attachmentRows.add(new Object[] { request.messageId(), ordinal, stored.fileId() });
				written += stored.written() ? stored.storedBytes() : 0;
			}
		}
		return written;
	}

	private StoredObject checkPresent(String objectKey, long expectedSize) {
		Optional<StoredObject> head = this.store.head(objectKey);
		if (head.isEmpty() || head.get().size() != expectedSize) {
			throw new VaultIntegrityException(
					"Object " + objectKey + " in " + this.store.name() + " exists but does not hold the expected "
							+ expectedSize + " bytes: " + head.map((h) -> h.size() + " bytes").orElse("missing"));
		}
		return head.get();
	}

	@Override
	public boolean quarantine(QuarantinedRecord record, String custodian) {
		return this.quarantine.quarantine(record, custodian);
	}

	@Override
	public boolean quarantine(SourceLocation origin, String reason, InputStream raw, String custodian) {
		return this.quarantine.quarantine(origin, reason, raw, custodian);
	}

	@Override
	public InputStream openQuarantined(String fingerprint) {
		return this.quarantine.openQuarantined(fingerprint);
	}

	/**
	 * The erasure scope of quarantined input: per custodian, since unparsed bytes belong
	 * to no known conversation.
	 * @param custodian the custodian
	 * @return the scope
	 */
	public static KeyScope quarantineScope(String custodian) {
		return QuarantineStore.scope(custodian);
	}

	@Override
	public ExportReceipt receive(ExportSubmission submission) {
		return this.originals.receive(submission);
	}

	@Override
	public Optional<ExportReceipt> receipt(String intakeKey) {
		return this.originals.receipt(intakeKey);
	}

	@Override
	public OriginalsSummary storeOriginals(ExportReceipt receipt, SourcePlatform source) {
		return this.originals.store(receipt, source);
	}

	@Override
	public byte[] readCanonical(String messageId) {
		return this.records.read(messageId).canonical();
	}

	/**
	 * The stored media of archived messages' attachments, for readers.
	 * @return the media vault
	 */
	public MediaVault media() {
		return this.media;
	}

	RecordReader records() {
		return this.records;
	}

}
