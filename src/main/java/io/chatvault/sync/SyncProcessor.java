package io.chatvault.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.GroupMember;
import io.chatvault.custodian.PlatformAccount;
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

	private final Map<PlatformAccount, Holder> holders = new ConcurrentHashMap<>();

	private final Holder unrouted;

	SyncProcessor(Vault vault, CustodianGroup group, String defaultCustodian, CustomerLinks links) {
		this.mappers = ThreadLocal.withInitial(() -> new DeliveryMappers(links));
		this.vault = vault;
		this.group = group;
		this.defaultCustodian = defaultCustodian;
		this.unrouted = new Holder(defaultCustodian, null);
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
			Holder holder = (delivery.account() != null)
					? this.holders.computeIfAbsent(delivery.account(), this::holder) : this.unrouted;
			for (SourceRecord record : mappers.read(delivery)) {
				records.add(new SyncRecord(record, holder.custodian(), holder.account(), delivery.capturedAt(),
						delivery.id()));
			}
		}
		return new SyncUnit(read.source(), records, read.acknowledgements());
	}

	private Holder holder(PlatformAccount account) {
		return new Holder(this.group.holder(account).map(GroupMember::custodian).orElse(this.defaultCustodian),
				account.key());
	}

	/**
	 * Who holds an account in the group, and the account's key: looked up once per
	 * account and window, not once per delivery (a group's members are searched in turn).
	 */
	private record Holder(String custodian, String account) {
	}

}
