package io.chatvault.audit;

import java.util.List;
import java.util.Optional;

/**
 * What {@code chatvault audit verify} found.
 *
 * @param entries the entries in the log (its highest sequence)
 * @param verified how many entries, from the first, recomputed and agreed with the
 * anchors before the first finding (all of them when there is none)
 * @param anchors how many anchors the store holds
 * @param lastAnchor the newest anchor, if any
 * @param findings what is wrong, the first break of the chain first; empty when intact
 */
public record AuditVerification(long entries, long verified, long anchors, Optional<AuditAnchor> lastAnchor,
		List<Finding> findings) {

	public AuditVerification {
		findings = List.copyOf(findings);
	}

	/** Whether the chain recomputes and agrees with every anchor. */
	public boolean intact() {
		return this.findings.isEmpty();
	}

	/** Entries newer than the last anchor, which only the chain itself protects. */
	public long unanchored() {
		return this.entries - this.lastAnchor.map(AuditAnchor::lastSequence).orElse(0L);
	}

	/**
	 * One thing wrong with the log or its anchors.
	 *
	 * @param kind what kind of change
	 * @param sequence the first entry (or anchor number, for the anchor kinds) it
	 * concerns
	 * @param message one sentence naming it
	 */
	public record Finding(Kind kind, long sequence, String message) {
	}

	/** Kinds of findings. */
	public enum Kind {

		/** An entry's content or hashes were changed. */
		EDITED,

		/** An entry is missing from the middle of the chain. */
		DELETED,

		/** An entry that was never appended sits in the chain. */
		INSERTED,

		/** Entries are out of their original order. */
		REORDERED,

		/** The newest entries are gone: the log ends before the last anchor. */
		TRUNCATED,

		/**
		 * An anchor object is missing, unreadable or disagrees with the anchors around
		 * it.
		 */
		ANCHOR_BROKEN,

		/**
		 * A row of {@code audit_anchor} disagrees with the anchor object it describes.
		 */
		ANCHOR_TABLE_CHANGED

	}

}
