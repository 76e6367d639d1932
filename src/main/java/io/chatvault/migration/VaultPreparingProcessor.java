package io.chatvault.migration;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.vault.Vault;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Computes, for each parsed record, everything the vault needs before it touches a store
 * (deterministic id, canonical bytes, hashes); passes quarantined records through. Never
 * filters: every record read reaches the writer, which is what keeps the reconciliation
 * exact.
 */
class VaultPreparingProcessor implements ItemProcessor<SourceRecord, MigrationItem> {

	private final Vault vault;

	private final String custodian;

	VaultPreparingProcessor(Vault vault, String custodian) {
		this.vault = vault;
		this.custodian = custodian;
	}

	@Override
	public MigrationItem process(SourceRecord item) {
		if (item instanceof ChatRecord record) {
			return new MigrationItem.Prepared(this.vault.prepare(record, this.custodian));
		}
		return new MigrationItem.Quarantined((QuarantinedRecord) item);
	}

}
