package io.chatvault.vault;

/**
 * What archiving a chunk did.
 *
 * @param archived records newly archived
 * @param duplicates records already in the archive (nothing stored)
 * @param bytesStored bytes written to the primary store by this chunk
 */
public record ArchiveSummary(int archived, int duplicates, long bytesStored) {

	public ArchiveSummary plus(ArchiveSummary other) {
		return new ArchiveSummary(this.archived + other.archived, this.duplicates + other.duplicates,
				this.bytesStored + other.bytesStored);
	}

}
