package io.chatvault.sync;

import java.util.ArrayList;
import java.util.List;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.GroupMember;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.whatsappcloud.CustomerLinks;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.Vault;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Maps the bodies of a unit's inbox deliveries into records with its platform's mapper,
 * then prepares each parsed record of a unit for the vault (deterministic id, canonical
 * bytes, hashes); quarantined records pass through. Never filters a unit: its
 * acknowledgements must be committed even when it holds no record. Safe on several
 * threads (the mappers, which cache conversations, are one per thread).
 */
class SyncProcessor implements ItemProcessor<SyncUnit, PreparedUnit> {

	private final Vault vault;

	private final CustodianGroup group;

	private final ThreadLocal<DeliveryMappers> mappers;

	private final String defaultCustodian;

	SyncProcessor(Vault vault, CustodianGroup group, String defaultCustodian, CustomerLinks links) {
		this.mappers = ThreadLocal.withInitial(() -> new DeliveryMappers(links));
		this.vault = vault;
		this.group = group;
		this.defaultCustodian = defaultCustodian;
	}

	@Override
	public PreparedUnit process(SyncUnit read) {
		SyncUnit unit = read.deliveries().isEmpty() ? read : mapped(read);
		List<ArchiveRequest> requests = new ArrayList<>(unit.records().size());
		for (SyncRecord record : unit.records()) {
			requests.add(
					(record.record() instanceof ChatRecord chat) ? this.vault.prepare(chat, record.custodian()) : null);
		}
		return new PreparedUnit(unit, requests);
	}

	private SyncUnit mapped(SyncUnit read) {
		DeliveryMappers mappers = this.mappers.get();
		List<SyncRecord> records = new ArrayList<>(read.deliveries().size());
		for (InboxDelivery delivery : read.deliveries()) {
			String custodian = (delivery.account() != null)
					? this.group.holder(delivery.account()).map(GroupMember::custodian).orElse(this.defaultCustodian)
					: this.defaultCustodian;
			String account = (delivery.account() != null) ? delivery.account().key() : null;
			for (SourceRecord record : mappers.read(delivery)) {
				records.add(new SyncRecord(record, custodian, account, delivery.capturedAt(), delivery.id()));
			}
		}
		return new SyncUnit(read.source(), records, read.acknowledgements());
	}

}
