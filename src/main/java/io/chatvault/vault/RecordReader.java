package io.chatvault.vault;

import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.chatvault.crypto.DataKeys;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Reads records back, verified: the block's stored bytes against the index, the block's
 * authentication (bound to its pack and place), the record's id recomputed from what was
 * read against the id asked for, and its conversation state's hash. Opened blocks and
 * conversation states are cached a little, so streaming a conversation opens each block
 * once. Thread-safe (per-thread readers).
 */
final class RecordReader {

	private static final HexFormat HEX = HexFormat.of();

	private final ObjectStore store;

	private final DataKeys dataKeys;

	private final JdbcTemplate jdbc;

	private final Holders holders;

	private final MessageIndex index;

	private final PackIndex packs;

	private final ThreadLocal<State> state;

	RecordReader(ObjectStore store, DataKeys dataKeys, JdbcTemplate jdbc, Holders holders) {
		this.store = store;
		this.dataKeys = dataKeys;
		this.jdbc = jdbc;
		this.holders = holders;
		this.index = new MessageIndex(null, jdbc);
		this.packs = new PackIndex(jdbc);
		this.state = ThreadLocal.withInitial(State::new);
	}

	/**
	 * Reads a record.
	 * @param messageId its hex id
	 * @return the verified record
	 * @throws NoSuchElementException if it is not archived
	 * @throws VaultIntegrityException if anything does not match
	 */
	ArchivedRecord read(String messageId) {
		MessageIndex.Located located = this.index.find(messageId)
			.orElseThrow(() -> new NoSuchElementException("No archived message " + messageId));
		return read(located);
	}

	Optional<ArchivedRecord> find(String messageId) {
		return this.index.find(messageId).map(this::read);
	}

	/**
	 * Locates records with two index queries for the lot (their rows, their blocks'
	 * places), to be read one by one.
	 * @param messageIds hex ids
	 * @return one entry per id, in the order given
	 */
	List<VaultReader.Located> locate(List<String> messageIds) {
		List<String> ids = messageIds.stream().map((id) -> id.toLowerCase(java.util.Locale.ROOT)).toList();
		Map<String, MessageIndex.Located> rows = this.index.find(ids);
		Map<Long, PackIndex.BlockRef> blocks = this.packs.blocks(
				rows.values().stream().map(MessageIndex.Located::blockId).collect(java.util.stream.Collectors.toSet()));
		List<VaultReader.Located> located = new java.util.ArrayList<>(ids.size());
		for (String id : ids) {
			MessageIndex.Located row = rows.get(id);
			located.add(new VaultReader.Located(id,
					() -> (row != null) ? Optional.of(read(row, blocks.get(row.blockId()))) : Optional.empty()));
		}
		return located;
	}

	ArchivedRecord read(MessageIndex.Located located) {
		return read(located, null);
	}

	private ArchivedRecord read(MessageIndex.Located located, PackIndex.BlockRef known) {
		return read(located, known, null);
	}

	/**
	 * Reads a record whose block's place the caller has already looked up (with its index
	 * row), and possibly already read and opened (a read-ahead).
	 * @param located the record's index row
	 * @param known its block's place, or {@code null} to look it up
	 * @param opened its block as {@link #open} returned it (then {@code known} is its
	 * place), or {@code null} to read it here
	 * @return the verified record
	 * @throws VaultIntegrityException if anything does not match
	 */
	ArchivedRecord read(MessageIndex.Located located, PackIndex.BlockRef known, RecordBlock.Layout opened) {
		State state = this.state.get();
		String what = "message " + located.messageId();
		RecordBlock.Layout block = (opened != null) ? state.opened(known, opened)
				: state.block(located.blockId(), known, what);
		byte[] canonical;
		try {
			canonical = block.record(located.ordinal());
		}
		catch (IllegalArgumentException ex) {
			throw new VaultIntegrityException(what + ": its block does not hold record " + located.ordinal(), ex);
		}
		HeldConversation holder = this.holders.holder(located.conversation());
		CanonicalRecords.Decoded decoded;
		try {
			decoded = state.canonical.decode(canonical,
					(sha) -> state.conversation(located.conversation(), located.blockId(), sha, what));
		}
		catch (RuntimeException ex) {
			if (ex instanceof VaultIntegrityException integrity) {
				throw integrity;
			}
			throw new VaultIntegrityException(what + ": the stored record cannot be decoded: " + ex.getMessage(), ex);
		}
		String recomputed = MessageIdentity.of(decoded.record());
		if (!recomputed.equals(located.messageId())) {
			throw new VaultIntegrityException(what + " in block " + located.blockId() + " at " + located.ordinal()
					+ " holds the record of message " + recomputed + ": moved or reordered");
		}
		return new ArchivedRecord(located.messageId(), holder, decoded.record(), canonical, decoded.rawFile());
	}

	/**
	 * Reads and opens a records block on the calling thread, without caching it: what a
	 * read-ahead does before
	 * {@link #read(MessageIndex.Located, PackIndex.BlockRef, RecordBlock.Layout)}.
	 * @param place the block's place
	 * @param what names what is read, for messages
	 * @return the block's records
	 * @throws VaultIntegrityException if the stored bytes do not check out
	 */
	RecordBlock.Layout open(PackIndex.BlockRef place, String what) {
		return this.state.get().open(place, what);
	}

	/**
	 * Checks every record of a records block (its plaintext): each decodes, its id
	 * recomputed from its content has an index row naming this block and place, and its
	 * conversation and sent-at are there (and its author, for a message).
	 * @param block the block
	 * @param plain its plaintext
	 * @param where names it in messages
	 * @return the records checked
	 * @throws VaultIntegrityException at the first problem
	 */
	int checkBlock(PackIndex.BlockRef block, byte[] plain, String where) {
		Places places = new Places();
		int records = decodeBlock(block, plain, where, places);
		String problem = checkPlaces(places).get(block.id());
		if (problem != null) {
			throw new VaultIntegrityException(problem);
		}
		return records;
	}

	/**
	 * The first half of {@link #checkBlock}: every record of a records block decodes, has
	 * its conversation and sent-at (and its author, for a message), and its id is
	 * recomputed from its content ({@link #checkRecord}: a lean reading of the canonical
	 * form, the full decoder where it cannot vouch); the ids are collected, so that their
	 * index rows can be checked for many blocks at once ({@link #checkPlaces}).
	 * @param block the block
	 * @param plain its plaintext
	 * @param where names it in messages
	 * @param places collects the recomputed ids
	 * @return the records decoded
	 * @throws VaultIntegrityException at the first problem
	 */
	int decodeBlock(PackIndex.BlockRef block, byte[] plain, String where, Places places) {
		State state = this.state.get();
		RecordBlock.Layout layout;
		try {
			layout = RecordBlock.decode(plain);
		}
		catch (IllegalArgumentException ex) {
			throw new VaultIntegrityException(where + ": " + ex.getMessage(), ex);
		}
		int conversation = state.holder(layout.holder(), where);
		int count = layout.count();
		byte[] ids = new byte[count * RecordCheck.ID_LENGTH];
		java.util.function.BiFunction<String, String, Conversation> conversations = (sha, what) -> state
			.conversation(conversation, block.id(), sha, what);
		java.util.function.Function<String, Conversation> ofBlock = (sha) -> conversations.apply(sha,
				"a record of " + where);
		state.lean.newBlock();
		for (int i = 0; i < count; i++) {
			checkRecord(state.lean, state.canonical, layout, i, where, ofBlock, conversations, ids,
					i * RecordCheck.ID_LENGTH);
		}
		places.add(block.id(), where, ids, count);
		return count;
	}

	/**
	 * Checks one record of a records block: the lean reading ({@link RecordCheck})
	 * vouches for a record in the canonical form with its metadata; any other is decoded
	 * fully ({@link #checkRecordFully}), which gives the verdict and says what is wrong.
	 * @param lean this thread's lean reader
	 * @param canonical this thread's full decoder
	 * @param layout the block
	 * @param ordinal the record's place in it
	 * @param where names the block in messages
	 * @param ofBlock the conversation of a state's hex SHA-256, for the lean reading
	 * @param conversations the same, given what names the record in messages
	 * @return the record's recomputed id (the raw SHA-256)
	 * @throws VaultIntegrityException if it cannot be decoded or lacks its metadata
	 */
	static byte[] checkRecord(RecordCheck lean, CanonicalRecords canonical, RecordBlock.Layout layout, int ordinal,
			String where, java.util.function.Function<String, Conversation> ofBlock,
			java.util.function.BiFunction<String, String, Conversation> conversations) {
		byte[] id = new byte[RecordCheck.ID_LENGTH];
		checkRecord(lean, canonical, layout, ordinal, where, ofBlock, conversations, id, 0);
		return id;
	}

	/**
	 * {@link #checkRecord(RecordCheck, CanonicalRecords, RecordBlock.Layout, int, String, java.util.function.Function, java.util.function.BiFunction)}
	 * with the id written where the caller keeps it.
	 * @param out receives the id's {@value RecordCheck#ID_LENGTH} bytes
	 * @param at where in {@code out}
	 */
	static void checkRecord(RecordCheck lean, CanonicalRecords canonical, RecordBlock.Layout layout, int ordinal,
			String where, java.util.function.Function<String, Conversation> ofBlock,
			java.util.function.BiFunction<String, String, Conversation> conversations, byte[] out, int at) {
		int[] offsets = layout.offsets();
		if (lean.id(layout.plain(), offsets[ordinal], offsets[ordinal + 1], ofBlock, out, at)) {
			return;
		}
		String what = "record " + ordinal + " of " + where;
		byte[] id = HEX.parseHex(
				checkRecordFully(canonical, layout.record(ordinal), (sha) -> conversations.apply(sha, what), what));
		System.arraycopy(id, 0, out, at, RecordCheck.ID_LENGTH);
	}

	/**
	 * Checks one canonical record with the full decoder
	 * ({@link CanonicalRecords#decode}): it decodes, its conversation is there (and its
	 * author, for a message), and its id is recomputed from the decoded record
	 * ({@link MessageIdentity#of}). What the check does where {@link RecordCheck} cannot
	 * vouch for a record.
	 * @param canonical the decoder
	 * @param bytes the record's canonical bytes
	 * @param conversations the conversation of a state's hex SHA-256
	 * @param what names the record in messages
	 * @return its recomputed id
	 * @throws VaultIntegrityException if it cannot be decoded or lacks its metadata
	 * @throws io.chatvault.crypto.KeyUnavailableException if its conversation state's key
	 * is unavailable (destroyed by an erasure)
	 */
	static String checkRecordFully(CanonicalRecords canonical, byte[] bytes,
			java.util.function.Function<String, Conversation> conversations, String what) {
		ChatRecord decoded;
		try {
			decoded = canonical.decode(bytes, conversations).record();
		}
		catch (VaultIntegrityException | io.chatvault.crypto.KeyUnavailableException ex) {
			// Damaged, or its conversation state's key destroyed (erased): said as such.
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new VaultIntegrityException(what + " cannot be decoded: " + ex.getMessage(), ex);
		}
		if (decoded.conversation().id().isEmpty()
				|| (decoded.kind() == io.chatvault.message.RecordKind.MESSAGE && decoded.author() == null)) {
			throw new VaultIntegrityException(
					what + " lacks its " + (decoded.conversation().id().isEmpty() ? "conversation" : "author"));
		}
		return MessageIdentity.of(decoded);
	}

	/**
	 * The second half of {@link #checkBlock}, for every block collected, in one query:
	 * every index row that names one of the blocks names a place in it that holds the
	 * record of its id (recomputed). A record no row names is not a problem: a record a
	 * concurrent writer indexed from its own pack first is an unreferenced copy, which
	 * costs bytes but loses nothing.
	 * @param places the blocks' recomputed record ids
	 * @return the problem of each block that has one, by block id
	 */
	Map<Long, String> checkPlaces(Places places) {
		Map<Long, String> problems = new java.util.HashMap<>();
		if (places.size == 0) {
			return problems;
		}
		Long[] blockIds = new Long[places.size];
		for (int b = 0; b < places.size; b++) {
			blockIds[b] = places.blocks[b];
		}
		// The index on block_id gives a block's rows one after the other: a row's
		// block is the last row's, looked up only when it changes.
		this.jdbc.query("SELECT block_id, ordinal, message_id FROM vault_message WHERE block_id = ANY (?::bigint[])",
				new RowCallbackHandler() {

					private int b = 0;

					@Override
					public void processRow(ResultSet rs) throws SQLException {
						long blockId = rs.getLong(1);
						int ordinal = rs.getInt(2);
						byte[] id = rs.getBytes(3);
						if (places.blocks[this.b] != blockId) {
							this.b = places.position(blockId);
						}
						String problem = places.problem(this.b, ordinal, id);
						if (problem != null) {
							problems.putIfAbsent(blockId, problem);
						}
					}

				}, (Object) blockIds);
		return problems;
	}

	/**
	 * Records blocks decoded, with their recomputed record ids (raw SHA-256, side by side
	 * in one array a block), in order.
	 */
	static final class Places {

		private long[] blocks = new long[16];

		private String[] wheres = new String[16];

		private byte[][] ids = new byte[16][];

		private int[] counts = new int[16];

		private int size;

		/** The positions of the blocks by id, sorted (made when first needed). */
		private long[] sorted;

		private int[] sortedPositions;

		void add(long blockId, String where, byte[] recordIds, int count) {
			if (this.size == this.blocks.length) {
				int grown = 2 * this.size;
				this.blocks = java.util.Arrays.copyOf(this.blocks, grown);
				this.wheres = java.util.Arrays.copyOf(this.wheres, grown);
				this.ids = java.util.Arrays.copyOf(this.ids, grown);
				this.counts = java.util.Arrays.copyOf(this.counts, grown);
			}
			this.blocks[this.size] = blockId;
			this.wheres[this.size] = where;
			this.ids[this.size] = recordIds;
			this.counts[this.size] = count;
			this.size++;
			this.sorted = null;
		}

		/** The position of a block added. */
		int position(long blockId) {
			if (this.sorted == null) {
				Integer[] order = new Integer[this.size];
				for (int b = 0; b < this.size; b++) {
					order[b] = b;
				}
				java.util.Arrays.sort(order, java.util.Comparator.comparingLong((b) -> this.blocks[b]));
				this.sorted = new long[this.size];
				this.sortedPositions = new int[this.size];
				for (int i = 0; i < this.size; i++) {
					this.sorted[i] = this.blocks[order[i]];
					this.sortedPositions[i] = order[i];
				}
			}
			int i = java.util.Arrays.binarySearch(this.sorted, blockId);
			if (i < 0) {
				throw new IllegalStateException("block " + blockId + " was not asked for");
			}
			return this.sortedPositions[i];
		}

		/**
		 * What is wrong with an index row that places a record of an id at an ordinal of
		 * the block at a position, if anything.
		 */
		String problem(int b, int ordinal, byte[] id) {
			int count = this.counts[b];
			if (ordinal < 0 || ordinal >= count) {
				return "the index places message " + HEX.formatHex(id) + " at record " + ordinal + " of "
						+ this.wheres[b] + ", which holds " + count + " record(s): moved or reordered";
			}
			int at = ordinal * RecordCheck.ID_LENGTH;
			if (!java.util.Arrays.equals(id, 0, id.length, this.ids[b], at, at + RecordCheck.ID_LENGTH)) {
				return "the index places message " + HEX.formatHex(id) + " at record " + ordinal + " of "
						+ this.wheres[b] + ", which holds the record of message "
						+ HEX.formatHex(this.ids[b], at, at + RecordCheck.ID_LENGTH) + ": moved or reordered";
			}
			return null;
		}

	}

	/** An opened records block and the key that sealed it. */
	private record Opened(RecordBlock.Layout layout, long dataKeyId) {
	}

	/** One thread's reader, caches and decoder. */
	private final class State {

		private final BlockReader reader = new BlockReader(RecordReader.this.store, RecordReader.this.dataKeys);

		private final CanonicalRecords canonical = new CanonicalRecords();

		private final RecordCheck lean = new RecordCheck();

		private final ContentIds ids = new ContentIds();

		private final Map<Long, Opened> blocks = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<Long, Opened> eldest) {
				return size() > 4;
			}
		};

		private final Map<String, Conversation> conversations = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
				return size() > 256;
			}
		};

		RecordBlock.Layout block(long blockId, PackIndex.BlockRef known, String what) {
			Opened cached = this.blocks.get(blockId);
			if (cached != null) {
				// An erasure in this process since the block was opened must win over
				// the cache: the key's lookup throws ErasedException once destroyed.
				RecordReader.this.dataKeys.byId(cached.dataKeyId());
				return cached.layout();
			}
			PackIndex.BlockRef ref = (known != null) ? known : RecordReader.this.packs.block(blockId)
				.orElseThrow(() -> new VaultIntegrityException(what + ": its block " + blockId + " is not indexed"));
			return opened(ref, open(ref, what));
		}

		/** Keeps a block opened elsewhere (by a read-ahead) as this thread's. */
		RecordBlock.Layout opened(PackIndex.BlockRef ref, RecordBlock.Layout layout) {
			this.blocks.put(ref.id(), new Opened(layout, ref.dataKeyId()));
			return layout;
		}

		RecordBlock.Layout open(PackIndex.BlockRef ref, String what) {
			byte[] plain = this.reader.open(ref, what);
			try {
				return RecordBlock.decode(plain);
			}
			catch (IllegalArgumentException ex) {
				throw new VaultIntegrityException(this.reader.where(ref, what) + ": " + ex.getMessage(), ex);
			}
		}

		private final Map<String, Integer> holders = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
				return size() > 1024;
			}
		};

		/**
		 * The index's conversation of a records block's holder (cached: they never
		 * change).
		 */
		int holder(byte[] holderJson, String where) {
			String key = new String(holderJson, java.nio.charset.StandardCharsets.UTF_8);
			Integer cached = this.holders.get(key);
			if (cached != null) {
				return cached;
			}
			tools.jackson.databind.JsonNode holder = this.canonical.mapper().readTree(holderJson);
			List<Integer> conversations = RecordReader.this.jdbc.queryForList("SELECT c.id FROM vault_conversation c "
					+ "JOIN vault_custodian k ON k.id = c.custodian_id WHERE c.source = ? AND c.conversation_id = ? "
					+ "AND k.name = ?", Integer.class, holder.path("source").asString(""),
					holder.path("conversation").asString(""), holder.path("custodian").asString(""));
			if (conversations.isEmpty()) {
				throw new VaultIntegrityException(where + ": its holder " + key + " is not indexed");
			}
			this.holders.put(key, conversations.get(0));
			return conversations.get(0);
		}

		Conversation conversation(int conversation, long recordBlock, String sha, String what) {
			String cacheKey = conversation + ":" + sha;
			Conversation cached = this.conversations.get(cacheKey);
			if (cached != null) {
				return cached;
			}
			if (sha == null) {
				throw new VaultIntegrityException(what + ": the record names no conversation state");
			}
			Opened opened = this.blocks.get(recordBlock);
			long keyId = (opened != null) ? opened.dataKeyId() : RecordReader.this.jdbc
				.queryForObject("SELECT data_key_id FROM vault_block WHERE id = ?", Long.class, recordBlock);
			String stateId = HEX.formatHex(this.ids.of(RecordReader.this.dataKeys.byId(keyId), HEX.parseHex(sha)));
			Long blockId = RecordReader.this.jdbc
				.queryForList("SELECT block_id FROM vault_conversation_state WHERE conversation = ? AND "
						+ "state_id = decode(?, 'hex')", Long.class, conversation, stateId)
				.stream()
				.findFirst()
				.orElseThrow(() -> new VaultIntegrityException(
						what + ": its conversation state " + sha + " is not indexed"));
			PackIndex.BlockRef ref = RecordReader.this.packs.block(blockId)
				.orElseThrow(() -> new VaultIntegrityException(what + ": conversation block " + blockId + " missing"));
			byte[] bytes = this.reader.open(ref, "conversation state of " + what);
			if (!MessageDigest.isEqual(Sha256.digest().digest(bytes), HEX.parseHex(sha))) {
				throw new VaultIntegrityException(
						this.reader.where(ref, "conversation state of " + what) + " does not hash to " + sha);
			}
			Conversation decoded = this.canonical.decodeConversation(bytes);
			this.conversations.put(cacheKey, decoded);
			return decoded;
		}

	}

}
