package io.chatvault.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.WriteOptions;

/**
 * Anchors the audit chain in the write-once object store (which writes the replica too):
 * daily, and at the end of every job run. An anchor is an object no database
 * administrator can change, holding the hashes of every entry since the previous anchor;
 * {@link AuditVerifier} checks the chain against them, so an entry edited, deleted,
 * inserted or reordered in PostgreSQL is named even if its editor recomputed every hash
 * after it, and entries cut off the end are missed against the last anchor.
 *
 * <p>
 * Anchors are numbered 1, 2, 3... without gaps under deterministic keys
 * ({@code audit/anchors/000000000007.json}), which lets verification find the newest one
 * by asking the store for the next number, whatever the {@code audit_anchor} table says.
 * Anchoring is serialized across processes by an advisory lock; an anchor object written
 * by a process that died before recording it in the table is adopted by the next anchor
 * rather than written again. Before anchoring, the new entries are recomputed: a chain
 * that is already broken is never anchored.
 */
@Service
public class AuditAnchors {

	/** Key prefix of the anchor objects. */
	public static final String PREFIX = "audit/anchors/";

	/**
	 * At most this many entry hashes per anchor object (3.4 MB of JSON); a longer run of
	 * entries is anchored in several consecutive anchors.
	 */
	static final int MAX_ENTRIES = 50_000;

	private static final Log logger = LogFactory.getLog(AuditAnchors.class);

	/** The advisory lock key of anchoring ("CVAUANC1"), apart from the chain's. */
	private static final long ANCHOR_LOCK = 0x4356_4155_414e_4331L;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate newTransaction;

	private final ObjectStore store;

	private final Clock clock;

	private final AuditProperties properties;

	private final ChainRows rows;

	AuditAnchors(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectStore store, Clock clock,
			AuditProperties properties) {
		this.jdbc = jdbc;
		this.newTransaction = new TransactionTemplate(transactionManager);
		this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.store = store;
		this.clock = clock;
		this.properties = properties;
		this.rows = new ChainRows(jdbc);
	}

	/**
	 * The object key of an anchor.
	 * @param number the anchor number
	 * @return {@code audit/anchors/<number, 12 digits>.json}
	 */
	public static String key(long number) {
		return PREFIX + String.format("%012d", number) + ".json";
	}

	/**
	 * Anchors every entry committed so far that no anchor covers yet, in its own
	 * transaction.
	 * @param reason why ({@code job.end execution:42}, {@code daily 2025-03-01})
	 * @return the newest anchor (new, or the existing one when there was nothing new), or
	 * empty when the log is empty
	 * @throws AuditChainBrokenException if the entries to anchor do not recompute
	 */
	public Optional<AuditAnchor> anchor(String reason) {
		return this.newTransaction.execute((status) -> {
			this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, ANCHOR_LOCK);
			Optional<AuditAnchor> last = adoptOrphans(lastRecorded());
			long head = this.rows.lastSequence();
			long from = last.map(AuditAnchor::lastSequence).orElse(0L) + 1;
			byte[] previousHash = last.map(AuditAnchor::lastHash).orElse(AuditChain.GENESIS);
			while (from <= head) {
				long to = Math.min(head, from + MAX_ENTRIES - 1);
				List<byte[]> hashes = recomputed(from, to, previousHash);
				long number = last.map(AuditAnchor::number).orElse(0L) + 1;
				AnchorDocument document = new AnchorDocument(number, last.map(AuditAnchor::objectSha256).orElse(null),
						from, to, hashes, reason, this.clock.instant());
				last = Optional.of(write(document));
				previousHash = document.lastHash();
				from = to + 1;
			}
			return last;
		});
	}

	/**
	 * The newest anchor the table records.
	 * @return it, or empty when there is none
	 */
	public Optional<AuditAnchor> lastRecorded() {
		return this.jdbc.query("SELECT * FROM audit_anchor ORDER BY anchor_number DESC LIMIT 1", AuditAnchors::anchor)
			.stream()
			.findFirst();
	}

	/**
	 * Reads an anchor object from the store.
	 * @param number the anchor number
	 * @return its bytes, or empty when the store has no such object
	 */
	Optional<byte[]> read(long number) {
		Optional<InputStream> content = this.store.get(key(number));
		if (content.isEmpty()) {
			return Optional.empty();
		}
		try (InputStream in = content.get()) {
			return Optional.of(in.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + key(number) + " from " + this.store.name(), ex);
		}
	}

	/** Whether the store holds an anchor with this number. */
	boolean exists(long number) {
		return this.store.head(key(number)).isPresent();
	}

	/** The name of the store anchors are kept in, for messages. */
	String storeName() {
		return this.store.name();
	}

	private Optional<AuditAnchor> adoptOrphans(Optional<AuditAnchor> last) {
		Optional<AuditAnchor> adopted = last;
		long next = last.map(AuditAnchor::number).orElse(0L) + 1;
		Optional<byte[]> orphan;
		while ((orphan = read(next)).isPresent()) {
			AnchorDocument document = AnchorDocument.parse(orphan.get());
			logger.info("Adopting anchor " + next + " (entries " + document.firstSequence() + "-"
					+ document.lastSequence() + "), written by a process that ended before recording it");
			adopted = Optional.of(record(document, Sha256.digest().digest(orphan.get())));
			next++;
		}
		return adopted;
	}

	private List<byte[]> recomputed(long from, long to, byte[] previousHash) {
		List<byte[]> hashes = new ArrayList<>();
		byte[] previous = previousHash;
		long expected = from;
		for (ChainRow row : this.rows.between(from, to)) {
			byte[] hash = row.hashAt(previous, expected);
			if (row.sequence() != expected || !ChainRow.same(row.previousHash(), previous)
					|| !ChainRow.same(row.entryHash(), hash)) {
				throw new AuditChainBrokenException("The audit chain does not recompute at entry " + expected
						+ "; it is not anchored (run chatvault audit verify)");
			}
			hashes.add(hash);
			previous = hash;
			expected++;
		}
		if (expected != to + 1) {
			throw new AuditChainBrokenException(
					"The audit chain has no entry " + expected + "; it is not anchored (run chatvault audit verify)");
		}
		return hashes;
	}

	private AuditAnchor write(AnchorDocument document) {
		byte[] bytes = document.toJson();
		Instant retainUntil = document.anchoredAt()
			.atOffset(ZoneOffset.UTC)
			.plus(this.properties.anchorRetention())
			.toInstant();
		PutOutcome outcome = this.store.put(key(document.number()), bytes,
				new WriteOptions(retainUntil, WriteOptions.LockMode.COMPLIANCE, false));
		if (outcome == PutOutcome.ALREADY_PRESENT) {
			// Under the lock, after adopting every orphan: only a writer outside this
			// database (another installation on the same bucket) gets here.
			throw new AuditChainBrokenException("Anchor " + key(document.number()) + " appeared in " + this.store.name()
					+ " while this process held the anchoring lock: is another installation writing to this store?");
		}
		return record(document, Sha256.digest().digest(bytes));
	}

	private AuditAnchor record(AnchorDocument document, byte[] objectSha256) {
		AuditAnchor anchor = new AuditAnchor(document.number(), document.firstSequence(), document.lastSequence(),
				document.lastHash(), key(document.number()), objectSha256, document.reason(), document.anchoredAt());
		this.jdbc.update("""
				INSERT INTO audit_anchor (anchor_number, first_sequence, last_sequence, last_hash, object_key,
					object_sha256, reason, anchored_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""", anchor.number(), anchor.firstSequence(), anchor.lastSequence(), anchor.lastHash(),
				anchor.objectKey(), anchor.objectSha256(), truncate(anchor.reason()),
				Timestamp.from(anchor.anchoredAt()));
		return anchor;
	}

	private static String truncate(String reason) {
		String text = (reason != null) ? reason : "";
		return (text.length() <= 512) ? text : text.substring(0, 512);
	}

	static AuditAnchor anchor(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new AuditAnchor(rs.getLong("anchor_number"), rs.getLong("first_sequence"), rs.getLong("last_sequence"),
				rs.getBytes("last_hash"), rs.getString("object_key"), rs.getBytes("object_sha256"),
				rs.getString("reason"), rs.getTimestamp("anchored_at").toInstant());
	}

}
