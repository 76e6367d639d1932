package io.chatvault.audit;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.message.Sha256;

/**
 * The anchors in the store, read in order as verification walks the chain: the hash
 * anchored for any entry, and what is wrong with the anchors themselves (a missing
 * number, an unreadable object, a gap or overlap in the entries covered, a broken link to
 * the previous anchor, a table row that disagrees). Holds only a few anchors' hashes at a
 * time.
 */
final class AnchoredHashes {

	private static final int CACHED = 4;

	private final AuditAnchors anchors;

	private final Map<Long, AuditAnchor> table;

	private final long count;

	private final long tableMax;

	private boolean afterGap;

	private final List<Range> ranges = new ArrayList<>();

	private final Map<Long, AnchorDocument> cache = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, AnchorDocument> eldest) {
			return size() > CACHED;
		}

	};

	private final List<AuditVerification.Finding> findings = new ArrayList<>();

	private long loaded;

	private byte[] previousObjectSha256;

	private long previousLast;

	private Optional<AuditAnchor> last = Optional.empty();

	/**
	 * Finds the anchors: the table's newest, then each next number the store holds.
	 * @param anchors the anchor store
	 * @param table the rows of {@code audit_anchor} by number
	 */
	AnchoredHashes(AuditAnchors anchors, Map<Long, AuditAnchor> table) {
		this.anchors = anchors;
		this.table = table;
		this.tableMax = table.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
		long n = this.tableMax;
		while (anchors.exists(n + 1)) {
			n++;
		}
		this.count = n;
	}

	/** How many anchors there are. */
	long count() {
		return this.count;
	}

	/**
	 * The hash anchored for an entry.
	 * @param sequence the entry
	 * @return the anchored hash, or empty when no readable anchor covers it
	 */
	Optional<byte[]> at(long sequence) {
		while ((this.ranges.isEmpty() || this.ranges.get(this.ranges.size() - 1).last() < sequence)
				&& this.loaded < this.count) {
			loadNext();
		}
		for (int i = this.ranges.size() - 1; i >= 0; i--) {
			Range range = this.ranges.get(i);
			if (range.first() <= sequence && sequence <= range.last()) {
				AnchorDocument document = this.cache.get(range.number());
				if (document == null) {
					document = reread(range.number());
				}
				return Optional.ofNullable(document).map((d) -> d.hashOf(sequence));
			}
			if (range.last() < sequence) {
				break;
			}
		}
		return Optional.empty();
	}

	/**
	 * The anchor that covers an entry.
	 * @param sequence the entry
	 * @return the anchor's number, or empty when no readable anchor covers it
	 */
	Optional<Long> numberCovering(long sequence) {
		if (at(sequence).isEmpty()) {
			return Optional.empty();
		}
		return this.ranges.stream()
			.filter((range) -> range.first() <= sequence && sequence <= range.last())
			.map(Range::number)
			.findFirst();
	}

	/**
	 * Reads every anchor not read yet, and says what is wrong with them.
	 * @return the findings about the anchors
	 */
	List<AuditVerification.Finding> finish() {
		while (this.loaded < this.count) {
			loadNext();
		}
		return List.copyOf(this.findings);
	}

	/** The newest readable anchor, once {@link #finish} has run. */
	Optional<AuditAnchor> last() {
		return this.last;
	}

	/** The highest entry any anchor covers, once {@link #finish} has run. */
	long lastAnchoredSequence() {
		return this.previousLast;
	}

	private void loadNext() {
		long number = ++this.loaded;
		String key = AuditAnchors.key(number);
		Optional<byte[]> bytes = this.anchors.read(number);
		if (bytes.isEmpty()) {
			broken(number, "anchor " + number + " (" + key + ") is missing from " + this.anchors.storeName()
					+ " although anchor " + this.count + " exists");
			this.previousObjectSha256 = null;
			this.afterGap = true;
			return;
		}
		AnchorDocument document;
		try {
			document = AnchorDocument.parse(bytes.get());
		}
		catch (IllegalArgumentException ex) {
			broken(number, "anchor " + number + " (" + key + ") is not a readable anchor: " + ex.getMessage());
			this.previousObjectSha256 = null;
			this.afterGap = true;
			return;
		}
		byte[] sha256 = Sha256.digest().digest(bytes.get());
		if (document.number() != number) {
			broken(number, "anchor object " + key + " says it is anchor " + document.number());
		}
		else if (!this.afterGap && document.firstSequence() != this.previousLast + 1) {
			broken(number, "anchor " + number + " covers entries " + document.firstSequence() + "-"
					+ document.lastSequence() + " but the anchors before it end at entry " + this.previousLast);
		}
		else if (number > 1 && this.previousObjectSha256 != null
				&& !ChainRow.same(document.previousAnchorSha256(), this.previousObjectSha256)) {
			broken(number, "anchor " + number + " does not name anchor " + (number - 1)
					+ " as it is in the store (its previousAnchorSha256 differs)");
		}
		else if (number == 1 && document.previousAnchorSha256() != null) {
			broken(number, "anchor 1 names a previous anchor");
		}
		AuditAnchor anchor = new AuditAnchor(number, document.firstSequence(), document.lastSequence(),
				document.lastHash(), key, sha256, document.reason(), document.anchoredAt());
		checkTable(anchor);
		this.ranges.add(new Range(number, document.firstSequence(), document.lastSequence()));
		this.cache.put(number, document);
		this.previousObjectSha256 = sha256;
		this.afterGap = false;
		this.previousLast = Math.max(this.previousLast, document.lastSequence());
		this.last = Optional.of(anchor);
	}

	private AnchorDocument reread(long number) {
		try {
			Optional<byte[]> bytes = this.anchors.read(number);
			AnchorDocument document = bytes.map(AnchorDocument::parse).orElse(null);
			if (document != null) {
				this.cache.put(number, document);
			}
			return document;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private void checkTable(AuditAnchor anchor) {
		AuditAnchor row = this.table.get(anchor.number());
		if (row == null) {
			if (anchor.number() < this.tableMax) {
				this.findings.add(new AuditVerification.Finding(AuditVerification.Kind.ANCHOR_TABLE_CHANGED,
						anchor.number(), "audit_anchor has no row for anchor " + anchor.number()
								+ " although it has later ones: the row was deleted"));
			}
			return;
		}
		if (row.firstSequence() != anchor.firstSequence() || row.lastSequence() != anchor.lastSequence()
				|| !ChainRow.same(row.lastHash(), anchor.lastHash())
				|| !ChainRow.same(row.objectSha256(), anchor.objectSha256())) {
			this.findings
				.add(new AuditVerification.Finding(AuditVerification.Kind.ANCHOR_TABLE_CHANGED, anchor.number(),
						"audit_anchor row " + anchor.number() + " (entries " + row.firstSequence() + "-"
								+ row.lastSequence() + ", hash " + HexFormat.of().formatHex(row.lastHash())
								+ ") differs from the anchor object (entries " + anchor.firstSequence() + "-"
								+ anchor.lastSequence() + ", hash " + anchor.lastHashHex() + ")"));
		}
	}

	private void broken(long number, String message) {
		this.findings.add(new AuditVerification.Finding(AuditVerification.Kind.ANCHOR_BROKEN, number, message));
	}

	private record Range(long number, long first, long last) {
	}

}
