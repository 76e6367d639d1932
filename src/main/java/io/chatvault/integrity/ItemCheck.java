package io.chatvault.integrity;

import java.time.Clock;

import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.Depth;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.StoredItem;
import io.chatvault.vault.VaultCatalog.Verification;

import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Checks one drawn item on the primary store, to content depth (stored SHA-256,
 * authenticated decryption, each record's id recomputed against its index row, the
 * metadata that must not be missing: see {@link Depth#CONTENT}); hands a failure to
 * {@link IntegrityRepairs}. Content whose data key was destroyed (erased) is checked to
 * the stored SHA-256 only: nothing can read it any more, by design.
 */
class ItemCheck implements ItemProcessor<StoredItem, ItemCheck.Checked> {

	private final VaultCatalog catalog;

	private final IntegrityRepairs repairs;

	private final IntegrityRepairs.Run run;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	ItemCheck(VaultCatalog catalog, IntegrityRepairs repairs, IntegrityRepairs.Run run, JdbcTemplate jdbc,
			Clock clock) {
		this.catalog = catalog;
		this.repairs = repairs;
		this.run = run;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Override
	public Checked process(StoredItem item) {
		Verification verification = this.catalog.verify(item, Depth.CONTENT);
		if (verification.ok()) {
			return new Checked(item, true, verification.records(), verification.bytesRead());
		}
		if (verification.actualSha256() != null && verification.actualSha256().equals(item.sha256()) && erased(item)) {
			return new Checked(item, true, 0, verification.bytesRead());
		}
		this.repairs.handle(this.run, verification, this.clock.instant());
		return new Checked(item, false, item.records(), verification.bytesRead());
	}

	private boolean erased(StoredItem item) {
		String keyOf = switch (item.kind()) {
			case PACK, RECEIPT -> null;
			case QUARANTINE -> "SELECT data_key_id FROM vault_quarantine WHERE id = ?";
			default -> "SELECT data_key_id FROM vault_block WHERE id = ?";
		};
		if (keyOf == null) {
			return false;
		}
		return Boolean.TRUE
			.equals(this.jdbc.query("SELECT destroyed_at IS NOT NULL FROM vault_data_key WHERE id = (" + keyOf + ")",
					(rs) -> rs.next() && rs.getBoolean(1), item.id()));
	}

	/**
	 * The check of one item.
	 *
	 * @param item the item
	 * @param ok whether it checked out on the primary
	 * @param records records it holds
	 * @param bytes bytes read
	 */
	record Checked(StoredItem item, boolean ok, int records, long bytes) {

		ItemKind kind() {
			return this.item.kind();
		}

	}

}
