package io.chatvault.sync;

import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.Vault;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Prepares each parsed record of a unit for the vault (deterministic id, canonical bytes,
 * hashes); quarantined records pass through. Never filters a unit: its acknowledgements
 * must be committed even when it holds no record.
 */
class SyncProcessor implements ItemProcessor<SyncUnit, PreparedUnit> {

	private final Vault vault;

	SyncProcessor(Vault vault) {
		this.vault = vault;
	}

	@Override
	public PreparedUnit process(SyncUnit unit) {
		List<ArchiveRequest> requests = new ArrayList<>(unit.records().size());
		for (SyncRecord record : unit.records()) {
			requests.add(
					(record.record() instanceof ChatRecord chat) ? this.vault.prepare(chat, record.custodian()) : null);
		}
		return new PreparedUnit(unit, requests);
	}

}
