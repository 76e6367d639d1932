package io.chatvault.integrity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.Depth;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.PackVerification;
import io.chatvault.vault.VaultCatalog.StoredItem;
import io.chatvault.vault.VaultCatalog.Verification;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Checks what a partition drew on the primary store, to content depth (stored SHA-256,
 * authenticated decryption, each record's id recomputed against its index row, the
 * metadata that must not be missing: see {@link Depth#CONTENT}): a pack with its drawn
 * blocks from one read of the pack ({@link VaultCatalog#verifyPack}), a receipt or
 * quarantined input on its own. Hands each failure to {@link IntegrityRepairs}. Content
 * whose data key an erasure destroyed is checked to the stored SHA-256 only and counted
 * as erased, not as an incident: nothing can read it any more, by design.
 */
class ItemCheck implements ItemProcessor<Drawn, List<ItemCheck.Checked>> {

	private final VaultCatalog catalog;

	private final IntegrityRepairs repairs;

	private final IntegrityRepairs.Run run;

	private final Clock clock;

	ItemCheck(VaultCatalog catalog, IntegrityRepairs repairs, IntegrityRepairs.Run run, Clock clock) {
		this.catalog = catalog;
		this.repairs = repairs;
		this.run = run;
		this.clock = clock;
	}

	@Override
	public List<Checked> process(Drawn drawn) {
		if (drawn instanceof Drawn.Item single) {
			return List.of(checked(this.catalog.verify(single.item(), Depth.CONTENT)));
		}
		Drawn.Pack pack = (Drawn.Pack) drawn;
		PackVerification verification = this.catalog.verifyPack(pack.items(), pack.whole());
		List<Checked> checked = new ArrayList<>(pack.items().blocks().size() + 1);
		if (verification.pack() != null) {
			checked.add(checked(verification.pack()));
		}
		for (Verification block : verification.blocks()) {
			checked.add(checked(block));
		}
		return checked;
	}

	private Checked checked(Verification verification) {
		StoredItem item = verification.item();
		if (verification.ok()) {
			return new Checked(item, Status.VERIFIED, verification.records(), verification.bytesRead());
		}
		if (verification.erased() && item.sha256().equals(verification.actualSha256())) {
			return new Checked(item, Status.ERASED, 0, verification.bytesRead());
		}
		this.repairs.handle(this.run, verification, this.clock.instant());
		return new Checked(item, Status.FAILED, item.records(), verification.bytesRead());
	}

	/** What a check found. */
	enum Status {

		/** It checked out on the primary. */
		VERIFIED,

		/** It did not (an incident, repaired or not). */
		FAILED,

		/**
		 * Its data key was destroyed by an erasure: its stored SHA-256 matched, nothing
		 * more can be read.
		 */
		ERASED

	}

	/**
	 * The check of one item.
	 *
	 * @param item the item
	 * @param status what it found
	 * @param records records it holds (checked, for a verified records block; none for an
	 * erased one)
	 * @param bytes bytes read for it
	 */
	record Checked(StoredItem item, Status status, int records, long bytes) {

		ItemKind kind() {
			return this.item.kind();
		}

	}

}
