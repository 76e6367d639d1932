package io.chatvault.vault;

import java.util.List;
import java.util.Optional;

/**
 * Every stored thing with the SHA-256 the index expects of it, for checksum sampling,
 * repair and legal holds. Checking a stored item needs no keys: the index holds the
 * SHA-256 of the stored (sealed) bytes, so an operator can verify the archive without
 * reading any content. Records have no hash of their own in the index: a record is
 * checked through its block (stored hash, then authentication) and its id recomputed from
 * its content ({@link VaultReader#record}).
 *
 * <p>
 * Repairs never overwrite or delete: a damaged object is put again from the replica's
 * copy (checked against the index first) under a new key, which the index names from then
 * on; the damaged object stays where it is until its retention ends.
 */
public interface VaultCatalog {

	/**
	 * How many items of a kind the index holds.
	 * @param kind the kind
	 * @return the count
	 */
	long count(ItemKind kind);

	/**
	 * A page of items of a kind, by id (keyset paging: pass the last id of a page to get
	 * the next).
	 * @param kind the kind
	 * @param afterId only items with a larger id (0 for the first page)
	 * @param limit the most items returned
	 * @return the items, by id
	 */
	List<StoredItem> items(ItemKind kind, long afterId, int limit);

	/**
	 * A page of the ids of a kind's items and the records each holds, by id: what a
	 * sample is drawn from (one table, no object keys: {@link #items} joins the packs for
	 * theirs).
	 * @param kind the kind
	 * @param afterId only items with a larger id (0 for the first page)
	 * @param limit the most items returned
	 * @return the items' ids and records (0 but for records blocks), by id
	 */
	List<Drawable> drawable(ItemKind kind, long afterId, int limit);

	/**
	 * An item as the draw sees it.
	 *
	 * @param id its id in its index table
	 * @param records the records it holds (a records block; 0 for other kinds)
	 */
	record Drawable(long id, int records) {
	}

	/**
	 * One item.
	 * @param kind its kind
	 * @param id its id
	 * @return the item, if the index holds it
	 */
	Optional<StoredItem> item(ItemKind kind, long id);

	/**
	 * How many records the archive holds (from the per-chunk counts: no scan).
	 * @return the count
	 */
	long records();

	/**
	 * Reads an item's bytes from the primary store only (never the replica behind it) and
	 * compares their SHA-256 with the index.
	 * @param item the item
	 * @return the outcome
	 */
	default Verification verify(StoredItem item) {
		return verify(item, Depth.STORED);
	}

	/**
	 * Reads an item's bytes from the primary store only and checks them to the given
	 * depth.
	 * @param item the item
	 * @param depth {@link Depth#STORED}: the SHA-256 of the stored bytes;
	 * {@link Depth#CONTENT}: also decrypt (authenticated), decompress and check what they
	 * hold (see {@link Depth#CONTENT})
	 * @return the outcome
	 */
	Verification verify(StoredItem item, Depth depth);

	/**
	 * The packs with ids in a range, each with every block the index places in it and its
	 * index rows for {@link #verifyPack} (one query for the packs, one for their blocks,
	 * one for the files whose chunks they hold; the data keys of their blocks loaded in
	 * one more): what a checksum pass walks.
	 * @param afterPackId only packs with a larger id
	 * @param toPackId only packs with this id or a smaller one
	 * @param limit the most packs returned
	 * @return the packs, by id
	 */
	List<PackItems> packs(long afterPackId, long toPackId, int limit);

	/**
	 * Loads, in two queries, what checking some packs of a page needs besides their rows:
	 * the data keys of the blocks to be checked (a media file has a key of its own: a
	 * query per key was most of a full pass's database time) and the rows of the files
	 * whose manifests are to be checked. Optional: without it, each is read when needed.
	 * @param packs packs from {@link #packs}, each with the blocks to be checked
	 */
	void prepare(List<PackItems> packs);

	/**
	 * Checks a pack and some of its blocks on the primary store only, to content depth,
	 * reading each byte once: with {@code whole}, the object is read whole and
	 * sequentially, its SHA-256 and its manifest checked against the index (each block's
	 * place, length and hash), and the blocks asked for are checked from those bytes;
	 * without, each block asked for is read by its range. Each block: its stored SHA-256,
	 * authenticated decryption and decompression, and its content against the index as
	 * {@link Depth#CONTENT} says, the index rows of all its records fetched in one query
	 * per pack. Content whose data key an erasure destroyed is checked to its stored
	 * SHA-256 and reported {@link Verification#erased() erased}.
	 * @param pack the pack, with the blocks to check (any of its blocks)
	 * @param whole whether to read and check the pack object as a whole
	 * @return the outcome of the pack (when whole) and of each block
	 */
	PackVerification verifyPack(PackItems pack, boolean whole);

	/**
	 * The same, from the replica.
	 * @param item the item
	 * @return the outcome
	 * @throws UnsupportedOperationException when the store has no replica
	 */
	default Verification verifyReplica(StoredItem item) {
		return verifyReplica(item, Depth.STORED);
	}

	/**
	 * Checks the replica's copy of an item to the given depth.
	 * @param item the item
	 * @param depth how deep
	 * @return the outcome
	 * @throws UnsupportedOperationException when the store has no replica
	 */
	Verification verifyReplica(StoredItem item, Depth depth);

	/**
	 * Repairs the object holding an item from the replica: the replica's copy of the
	 * whole object is checked against the index, put into the store under a new key
	 * ({@code <key>.r<n>}) with the original's retention, and the index names the new key
	 * ({@code vault_repair} keeps the history). The same path repairs an object the
	 * primary has lost. Idempotent: a repair replayed after a crash between the put and
	 * the index update reuses the key it put.
	 * @param item the damaged item
	 * @param reason why (a sampling run, an incident)
	 * @return the repair
	 * @throws VaultIntegrityException if the replica's copy does not match the index
	 * either
	 * @throws UnsupportedOperationException when the store has no replica
	 */
	Repair repair(StoredItem item, String reason);

	/**
	 * The object keys holding anything of a custodian (their records' packs, their
	 * originals, the media their records attach, receipts, quarantined input): what a
	 * legal hold on the custodian must reach.
	 * @param custodian the custodian
	 * @return object keys, sorted
	 */
	List<String> objectKeysOfCustodian(String custodian);

	/**
	 * The object keys holding anything of a conversation, for every custodian holding it
	 * (records, conversation states, single-conversation originals, attached media).
	 * @param source the source platform's name
	 * @param conversationId the conversation
	 * @return object keys, sorted
	 */
	List<String> objectKeysOfConversation(String source, String conversationId);

	/** How deep a verification goes. */
	enum Depth {

		/** The SHA-256 of the stored bytes against the index: no keys needed. */
		STORED,

		/**
		 * Also decrypt (every segment authenticated), decompress, and check the content:
		 * for a records block every record's id recomputed from its content against its
		 * index row (which must name this block and place), and its conversation and
		 * sent-at present (and its author, for a message); for a chunk its keyed id; for
		 * a file manifest its hash, size and chunk count against the file's row; for a
		 * conversation state its hash; for a receipt its entries against the index; for
		 * quarantined input the SHA-256 of the raw bytes.
		 */
		CONTENT

	}

	/** What is stored and checkable. */
	enum ItemKind {

		/** A whole pack object. */
		PACK,

		/** A block of canonical records. */
		RECORD_BLOCK,

		/** A block holding a conversation state. */
		CONVERSATION_BLOCK,

		/** A chunk of an original export file. */
		ORIGINAL_CHUNK,

		/** A chunk of media. */
		MEDIA_CHUNK,

		/** The manifest of a stored file (its chunk ids in order). */
		FILE_MANIFEST,

		/** A sealed receipt object. */
		RECEIPT,

		/** A quarantined input object. */
		QUARANTINE

	}

	/**
	 * A stored item as the index has it.
	 *
	 * @param kind its kind
	 * @param id its id in its table ({@code vault_pack}, {@code vault_block},
	 * {@code vault_receipt}, {@code vault_quarantine})
	 * @param objectKey the object holding it
	 * @param offset its first byte in the object (0 for whole objects)
	 * @param length its length in bytes
	 * @param sha256 the hex SHA-256 its bytes must have
	 * @param key the item's natural key (a quarantine fingerprint, a pack key)
	 * @param records the records it holds (a records block; 0 for other kinds)
	 */
	record StoredItem(ItemKind kind, long id, String objectKey, long offset, long length, String sha256, String key,
			int records) {
	}

	/**
	 * The outcome of checking an item.
	 *
	 * @param item the item
	 * @param store the store read
	 * @param ok whether the bytes were there and matched
	 * @param actualSha256 the SHA-256 of what was read, or {@code null} when nothing
	 * could be read
	 * @param problem what was wrong (the first problem, one line), or {@code null}
	 * @param records records checked (content checks of records blocks)
	 * @param bytesRead bytes read from the store
	 * @param erased whether its data key was destroyed by an erasure (then only the
	 * stored SHA-256 could be checked, and it matched)
	 */
	record Verification(StoredItem item, String store, boolean ok, String actualSha256, String problem, int records,
			long bytesRead, boolean erased) {

		/** A verification of content that was not erased. */
		public Verification(StoredItem item, String store, boolean ok, String actualSha256, String problem, int records,
				long bytesRead) {
			this(item, store, ok, actualSha256, problem, records, bytesRead, false);
		}

	}

	/**
	 * A pack with the blocks the index places in it.
	 *
	 * @param pack the pack ({@link ItemKind#PACK})
	 * @param blocks its blocks, by id (records blocks, conversation states, chunks, file
	 * manifests)
	 * @param rows its index rows as {@link #packs} read them with its page, for
	 * {@link #verifyPack}; {@code null}: read them when it is checked
	 */
	record PackItems(StoredItem pack, List<StoredItem> blocks, PackRows rows) {

		/**
		 * A pack whose index rows are read when it is checked.
		 * @param pack the pack
		 * @param blocks its blocks
		 */
		public PackItems(StoredItem pack, List<StoredItem> blocks) {
			this(pack, blocks, null);
		}

		/**
		 * The same pack with other blocks to check (its rows kept).
		 * @param some the blocks
		 * @return the pack with those blocks
		 */
		public PackItems with(List<StoredItem> some) {
			return new PackItems(this.pack, some, this.rows);
		}

	}

	/**
	 * The outcome of checking a pack and some of its blocks.
	 *
	 * @param pack the check of the pack object itself, or {@code null} when it was not
	 * asked for
	 * @param blocks the check of each block asked for, in the order asked
	 * @param bytesRead bytes read from the store in all
	 */
	record PackVerification(Verification pack, List<Verification> blocks, long bytesRead) {
	}

	/**
	 * A repair.
	 *
	 * @param item the repaired item
	 * @param oldKey the damaged object's key
	 * @param newKey the key the index names now
	 */
	record Repair(StoredItem item, String oldKey, String newKey) {
	}

}
