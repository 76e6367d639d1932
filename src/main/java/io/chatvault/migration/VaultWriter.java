package io.chatvault.migration;

import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.ArchiveSummary;
import io.chatvault.vault.Vault;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Stores a chunk through the vault: prepared records are archived in one call,
 * quarantined ones kept one by one. The vault dedupes by id, so a chunk replayed after a
 * crash stores nothing twice. Keeps the export's running reconciliation (archived,
 * duplicates, quarantined) in the step's context, committed with the reader's position.
 */
class VaultWriter extends ItemStreamSupport implements ItemStreamWriter<MigrationItem> {

	static final String NAME = "vaultWriter";

	static final String ARCHIVED = "archived";

	static final String DUPLICATES = "duplicates";

	static final String QUARANTINED = "quarantined";

	static final String BYTES_STORED = "bytesStored";

	/** The first record this export quarantined, and why, for the report. */
	static final String FIRST_QUARANTINED = "firstQuarantined";

	private static final int REASON_CAP = 1000;

	private final Vault vault;

	private final String custodian;

	private final MigrationProgress progress;

	private long archived;

	private long duplicates;

	private long quarantined;

	private long bytesStored;

	private String firstQuarantined;

	VaultWriter(Vault vault, String custodian, MigrationProgress progress) {
		this.vault = vault;
		this.progress = progress;
		this.custodian = custodian;
		setName(NAME);
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.archived = executionContext.getLong(getExecutionContextKey(ARCHIVED), 0L);
		this.duplicates = executionContext.getLong(getExecutionContextKey(DUPLICATES), 0L);
		this.quarantined = executionContext.getLong(getExecutionContextKey(QUARANTINED), 0L);
		this.bytesStored = executionContext.getLong(getExecutionContextKey(BYTES_STORED), 0L);
		this.firstQuarantined = executionContext.getString(getExecutionContextKey(FIRST_QUARANTINED), null);
	}

	@Override
	public void write(Chunk<? extends MigrationItem> chunk) {
		List<ArchiveRequest> requests = new ArrayList<>(chunk.size());
		int quarantinedInChunk = 0;
		String first = null;
		for (MigrationItem item : chunk) {
			if (item instanceof MigrationItem.Prepared prepared) {
				requests.add(prepared.request());
			}
			else {
				QuarantinedRecord record = ((MigrationItem.Quarantined) item).record();
				this.vault.quarantine(record, this.custodian);
				if (first == null) {
					first = record.toString();
				}
				quarantinedInChunk++;
			}
		}
		ArchiveSummary summary = requests.isEmpty() ? new ArchiveSummary(0, 0, 0) : this.vault.archive(requests);
		if (summary.archived() + summary.duplicates() != requests.size()) {
			throw new IllegalStateException("The vault accounted for " + (summary.archived() + summary.duplicates())
					+ " of " + requests.size() + " records in a chunk; refusing to commit an unreconciled chunk");
		}
		this.archived += summary.archived();
		this.duplicates += summary.duplicates();
		this.bytesStored += summary.bytesStored();
		this.quarantined += quarantinedInChunk;
		if (this.firstQuarantined == null && first != null) {
			this.firstQuarantined = (first.length() > REASON_CAP) ? first.substring(0, REASON_CAP) + "…" : first;
		}
		this.progress.recordsWritten(chunk.size());
	}

	@Override
	public void update(ExecutionContext executionContext) {
		executionContext.putLong(getExecutionContextKey(ARCHIVED), this.archived);
		executionContext.putLong(getExecutionContextKey(DUPLICATES), this.duplicates);
		executionContext.putLong(getExecutionContextKey(QUARANTINED), this.quarantined);
		executionContext.putLong(getExecutionContextKey(BYTES_STORED), this.bytesStored);
		if (this.firstQuarantined != null) {
			executionContext.putString(getExecutionContextKey(FIRST_QUARANTINED), this.firstQuarantined);
		}
	}

}
