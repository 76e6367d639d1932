package io.chatvault.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import io.chatvault.audit.AuditVerification.Finding;
import io.chatvault.audit.AuditVerification.Kind;

/**
 * Verifies the audit log against its anchors ({@code chatvault audit verify}): walks the
 * chain from the first entry, recomputes every hash from the entry before, and compares
 * it with the hash the anchors hold; the first entry that disagrees is named with what
 * happened to it. Entries cut off after the last anchor's entry are caught against that
 * anchor.
 *
 * <p>
 * How the first break is told apart: each stored row is identified by its content (the
 * place in the original chain at which its fields hash to the anchored hash, or, for
 * entries newer than the last anchor, to its own stored hash). A row whose content is
 * nobody's is an edit, or an insertion if the original entry sits just after it; a place
 * whose original is gone is a deletion (with or without renumbering of the rest); an
 * original found at another place is a reordering. Only entries appended after the last
 * anchor by someone who computes the hashes correctly cannot be told from genuine ones:
 * the anchor written at the end of every job run keeps that window short.
 */
@Service
public class AuditVerifier {

	/** How far around the first break rows are compared to tell what happened. */
	static final int WINDOW = 64;

	private final JdbcTemplate jdbc;

	private final AuditAnchors anchors;

	private final ChainRows rows;

	AuditVerifier(JdbcTemplate jdbc, AuditAnchors anchors) {
		this.jdbc = jdbc;
		this.anchors = anchors;
		this.rows = new ChainRows(jdbc);
	}

	/**
	 * Verifies the whole log.
	 * @return what was found
	 */
	public AuditVerification verify() {
		Map<Long, AuditAnchor> table = new HashMap<>();
		this.jdbc.query("SELECT * FROM audit_anchor", AuditAnchors::anchor)
			.forEach((anchor) -> table.put(anchor.number(), anchor));
		AnchoredHashes anchored = new AnchoredHashes(this.anchors, table);
		Walk walk = new Walk(anchored);
		this.rows.walk(0, walk::accept);
		List<Finding> findings = new ArrayList<>();
		List<Finding> anchorFindings = anchored.finish();
		long lastSequence = this.rows.lastSequence();
		if (walk.firstBreak != null) {
			findings.add(walk.firstBreak);
		}
		long lastAnchored = anchored.lastAnchoredSequence();
		if (lastSequence < lastAnchored) {
			AuditAnchor last = anchored.last().orElseThrow();
			findings.add(new Finding(Kind.TRUNCATED, lastSequence + 1,
					"entries " + range(lastSequence + 1, lastAnchored)
							+ " are missing: the newest entries were cut off (anchor " + last.number() + ", "
							+ last.objectKey() + ", written " + last.anchoredAt() + ", holds entry " + lastAnchored
							+ " with hash " + last.lastHashHex() + ")"));
		}
		findings.addAll(anchorFindings);
		return new AuditVerification(lastSequence, walk.verified, anchored.count(), anchored.last(), findings);
	}

	private static String range(long from, long to) {
		return (from == to) ? Long.toString(from) : from + "-" + to;
	}

	/** The walk along the chain, up to its first break. */
	private final class Walk {

		private final AnchoredHashes anchored;

		/** Verified hashes of the entries just before the current one. */
		private final Map<Long, byte[]> recent = new HashMap<>();

		private long expected = 1;

		private byte[] previous = AuditChain.GENESIS;

		private long verified;

		private Finding firstBreak;

		Walk(AnchoredHashes anchored) {
			this.anchored = anchored;
		}

		boolean accept(ChainRow row) {
			byte[] computed = row.hashAt(this.previous, this.expected);
			Optional<byte[]> anchoredHash = this.anchored.at(this.expected);
			boolean intact = row.sequence() == this.expected && ChainRow.same(row.previousHash(), this.previous)
					&& ChainRow.same(row.entryHash(), computed)
					&& anchoredHash.map((hash) -> ChainRow.same(hash, computed)).orElse(true);
			if (!intact) {
				breakAt(this.expected);
				return false;
			}
			this.recent.put(this.expected, computed);
			this.recent.remove(this.expected - WINDOW - 1);
			this.previous = computed;
			this.verified++;
			this.expected++;
			return true;
		}

		/** Classifies the first break, at the place where a row disagreed. */
		void breakAt(long position) {
			this.firstBreak = classify(position, AuditVerifier.this.rows.between(position, position + WINDOW));
		}

		private Finding classify(long e, List<ChainRow> window) {
			LongFunction<Optional<byte[]>> known = (s) -> {
				byte[] verifiedHash = this.recent.get(s);
				return (verifiedHash != null) ? Optional.of(verifiedHash) : this.anchored.at(s);
			};
			Map<Long, ChainRow> byPlace = new HashMap<>();
			Map<Long, Long> identities = new HashMap<>();
			for (ChainRow row : window) {
				byPlace.put(row.sequence(), row);
				identities.put(row.sequence(), identity(row, e, known));
			}
			ChainRow at = byPlace.get(e);
			Optional<Long> originalMovedTo = identities.entrySet()
				.stream()
				.filter((entry) -> entry.getValue() == e && entry.getKey() != e)
				.map(Map.Entry::getKey)
				.findFirst();
			String anchorNote = anchorNote(e);
			if (at == null) {
				long lastMissing = e;
				while (lastMissing < e + WINDOW && !byPlace.containsKey(lastMissing + 1)) {
					lastMissing++;
				}
				if (originalMovedTo.isPresent()) {
					return new Finding(Kind.REORDERED, e, "entry " + e
							+ " was moved: its place is empty and it sits at " + originalMovedTo.get() + anchorNote);
				}
				return new Finding(Kind.DELETED, e,
						"entry " + range(e, lastMissing) + (lastMissing > e ? " are" : " is")
								+ " missing: deleted (entry " + (e - 1) + " is followed by entry " + (lastMissing + 1)
								+ ")" + anchorNote);
			}
			long identity = identities.get(e);
			if (identity == e) {
				return new Finding(Kind.EDITED, e, "entry " + e
						+ " was edited: its content is the original but its stored hashes were changed" + anchorNote);
			}
			if (identity > e) {
				if (originalMovedTo.isPresent()) {
					return new Finding(Kind.REORDERED, e, "entry " + e + " is out of order: its place holds entry "
							+ identity + ", and entry " + e + " sits at " + originalMovedTo.get() + anchorNote);
				}
				return new Finding(Kind.DELETED, e,
						"entry " + range(e, identity - 1) + (identity - 1 > e ? " are" : " is")
								+ " missing: deleted, and the entries after renumbered (entry " + identity
								+ " now sits at " + e + ")" + anchorNote);
			}
			if (identity > 0) {
				// The original of an earlier place: that place, accepted by the walk,
				// holds
				// a forged entry that chains correctly (or this row is a copy).
				byte[] atEarlierPlace = this.recent.get(identity);
				if (atEarlierPlace != null && !ChainRow.same(atEarlierPlace, at.entryHash())) {
					return new Finding(Kind.INSERTED, identity,
							"entry " + identity + " was inserted: it is not in the original chain, whose entry "
									+ identity + " now sits at " + e + anchorNote(identity));
				}
				return new Finding(Kind.INSERTED, e,
						"entry " + e + " was inserted: it is a copy of entry " + identity + anchorNote);
			}
			if (originalMovedTo.isPresent()) {
				return new Finding(Kind.INSERTED, e,
						"entry " + e + " was inserted: it is not in the original chain, whose entry " + e
								+ " now sits at " + originalMovedTo.get() + anchorNote);
			}
			return new Finding(Kind.EDITED, e, "entry " + e + " was edited: its content no longer hashes to "
					+ (this.anchored.at(e).isPresent() ? "its original hash" : "its stored hash") + anchorNote);
		}

		/**
		 * Where in the original chain a row's content belongs: the place near {@code e}
		 * at which its fields, chained to the known hash of the place before (verified or
		 * anchored; else its own stored previous hash), hash to the anchored hash of the
		 * place, or for a place no anchor covers, to its own stored hash. Unanchored
		 * places are not judged by the walk's verified hashes, which may include an
		 * insertion that chains correctly.
		 * @return the place, or -1 when it belongs nowhere
		 */
		private long identity(ChainRow row, long e, LongFunction<Optional<byte[]>> known) {
			for (int d = 0; d <= WINDOW; d++) {
				for (long place : (d == 0) ? new long[] { e } : new long[] { e + d, e - d }) {
					if (place < 1) {
						continue;
					}
					byte[] before = (place == 1) ? AuditChain.GENESIS
							: known.apply(place - 1).orElse(row.previousHash());
					byte[] expectedHash = this.anchored.at(place).orElse(row.entryHash());
					if (ChainRow.same(row.hashAt(before, place), expectedHash)) {
						return place;
					}
				}
			}
			return -1;
		}

		private String anchorNote(long sequence) {
			return this.anchored.numberCovering(sequence)
				.map((number) -> " (anchored in " + AuditAnchors.key(number) + ")")
				.orElse(" (newer than the last anchor)");
		}

	}

}
