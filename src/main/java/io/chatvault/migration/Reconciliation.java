package io.chatvault.migration;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The accounting of a migration: every record read was archived, found to be a duplicate
 * of one already archived, or quarantined.
 *
 * @param read records read from the input
 * @param archived records newly archived
 * @param duplicates records already in the archive (nothing stored)
 * @param quarantined records that could not be parsed, kept in quarantine
 * @param bytesStored bytes written to the primary store
 */
public record Reconciliation(long read, long archived, long duplicates, long quarantined, long bytesStored) {

	static final Reconciliation NONE = new Reconciliation(0, 0, 0, 0, 0);

	/** Whether read = archived + duplicates + quarantined. */
	public boolean balanced() {
		return this.read == this.archived + this.duplicates + this.quarantined;
	}

	Reconciliation plus(Reconciliation other) {
		return new Reconciliation(this.read + other.read, this.archived + other.archived,
				this.duplicates + other.duplicates, this.quarantined + other.quarantined,
				this.bytesStored + other.bytesStored);
	}

	/**
	 * The equation, in one line: "read 120 = archived 100 + duplicates 15 + quarantined
	 * 5".
	 */
	String describe() {
		return "read " + this.read + (balanced() ? " = " : " != ") + "archived " + this.archived + " + duplicates "
				+ this.duplicates + " + quarantined " + this.quarantined;
	}

	/**
	 * Reads the figures the export reader and the vault writer keep in a step's context.
	 */
	static Reconciliation of(ExecutionContext context) {
		return new Reconciliation(context.getLong(key(ExportReader.NAME, ExportReader.READ), 0L),
				context.getLong(key(VaultWriter.NAME, VaultWriter.ARCHIVED), 0L),
				context.getLong(key(VaultWriter.NAME, VaultWriter.DUPLICATES), 0L),
				context.getLong(key(VaultWriter.NAME, VaultWriter.QUARANTINED), 0L),
				context.getLong(key(VaultWriter.NAME, VaultWriter.BYTES_STORED), 0L));
	}

	/** The first record an export quarantined, as its writer keeps it, or null. */
	static String firstQuarantined(ExecutionContext context) {
		return context.getString(key(VaultWriter.NAME, VaultWriter.FIRST_QUARANTINED), null);
	}

	private static String key(String stream, String name) {
		return stream + "." + name;
	}

}
