package io.chatvault.integrity;

import io.chatvault.vault.VaultCatalog.PackItems;
import io.chatvault.vault.VaultCatalog.StoredItem;

/**
 * What a partition of the check step hands to {@link ItemCheck}: a drawn item of a kind
 * kept outside packs (a receipt, quarantined input), or a pack with its drawn blocks,
 * checked from one read of the pack.
 */
sealed interface Drawn {

	/** The id the partition saves to resume after. */
	long id();

	/**
	 * A receipt or quarantined input.
	 *
	 * @param item the item
	 */
	record Item(StoredItem item) implements Drawn {

		@Override
		public long id() {
			return this.item.id();
		}

	}

	/**
	 * A pack with the blocks drawn from it.
	 *
	 * @param items the pack and its drawn blocks
	 * @param whole whether the pack itself was drawn: then it is read whole, hashed and
	 * its manifest checked, and its drawn blocks are checked from those bytes; otherwise
	 * each drawn block is read by its range
	 */
	record Pack(PackItems items, boolean whole) implements Drawn {

		@Override
		public long id() {
			return this.items.pack().id();
		}

	}

}
