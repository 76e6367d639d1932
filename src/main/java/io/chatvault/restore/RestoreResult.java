package io.chatvault.restore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a restore wrote.
 *
 * @param target the directory
 * @param conversations conversations restored
 * @param records records written, all kinds
 * @param byKind records by kind ({@code MESSAGE}, {@code EDIT}, ...)
 * @param attachmentsPresent attachments whose media was restored
 * @param attachmentsMissing attachments without media in the archive (omitted by the
 * export, only referenced)
 * @param mediaFiles media files written
 * @param originals export files written bit-exact
 * @param files every file written (the manifest's list, SHA256SUMS)
 * @param bytes bytes written, every file
 * @param problems what could not be restored (a record whose stored bytes do not check
 * out, media missing from the store), at most {@link Restorer#PROBLEMS_LISTED}
 * @param problemCount how many problems in all
 * @param erased records left out because a GDPR erasure destroyed their data key (not
 * problems: they are gone by law)
 * @param erasedOriginals export files left out for the same reason (the file's key or its
 * receipt's destroyed)
 */
public record RestoreResult(Path target, int conversations, long records, Map<String, Long> byKind,
		long attachmentsPresent, long attachmentsMissing, long mediaFiles, long originals, long files, long bytes,
		List<String> problems, long problemCount, long erased, long erasedOriginals) {

	/**
	 * The counts, as the manifest and {@code restore --json} print them.
	 * @return name to count, in a stable order
	 */
	public java.util.Map<String, Object> counts() {
		java.util.Map<String, Object> counts = new java.util.LinkedHashMap<>();
		counts.put("conversations", this.conversations);
		counts.put("records", this.records);
		counts.put("byKind", this.byKind);
		counts.put("attachmentsPresent", this.attachmentsPresent);
		counts.put("attachmentsMissing", this.attachmentsMissing);
		counts.put("mediaFiles", this.mediaFiles);
		counts.put("originals", this.originals);
		counts.put("files", this.files);
		counts.put("bytes", this.bytes);
		counts.put("erased", this.erased);
		counts.put("erasedOriginals", this.erasedOriginals);
		return counts;
	}

	/** Whether everything asked for was restored. */
	public boolean complete() {
		return this.problemCount == 0;
	}

}
