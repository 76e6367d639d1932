package io.chatvault.migration;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.vault.ExportReceipt;
import io.chatvault.vault.Vault;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Computes, for each parsed record, everything the vault needs before it touches a store
 * (deterministic id, canonical bytes, hashes, the raw fragment's place in the export's
 * receipt); passes quarantined records through. Never filters: every record read reaches
 * the writer, which is what keeps the reconciliation exact.
 */
class VaultPreparingProcessor implements ItemProcessor<SourceRecord, MigrationItem> {

	private final Vault vault;

	private final String custodian;

	private final String intakeKey;

	private ExportReceipt receipt;

	VaultPreparingProcessor(Vault vault, String custodian, String intakeKey) {
		this.vault = vault;
		this.custodian = custodian;
		this.intakeKey = intakeKey;
	}

	@Override
	public MigrationItem process(SourceRecord item) {
		if (item instanceof ChatRecord record) {
			if (this.receipt == null) {
				// The reader received the export when it opened.
				this.receipt = this.vault.receipt(this.intakeKey).orElse(null);
			}
			return new MigrationItem.Prepared(this.vault.prepare(record, this.custodian, this.receipt));
		}
		return new MigrationItem.Quarantined((QuarantinedRecord) item);
	}

}
