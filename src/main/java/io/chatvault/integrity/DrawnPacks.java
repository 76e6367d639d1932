package io.chatvault.integrity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.PackItems;
import io.chatvault.vault.VaultCatalog.StoredItem;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The packs of one partition (a range of pack ids), by id, each with the blocks drawn
 * from it, paged from the index ({@link VaultCatalog#packs}: one query for a page of
 * packs, one for their blocks). A pack is handed on if it or any of its blocks is
 * {@link SampleDraw#drawn drawn} (each block by its own kind's threshold, up to the
 * kind's largest id at the draw); in a full pass that is every pack with every block.
 * Saves the id of the last pack it returned, so a restarted partition goes on after it.
 */
class DrawnPacks implements ItemStreamReader<Drawn> {

	private static final int PAGE = 50;

	private final VaultCatalog catalog;

	private final SampleDraw draw;

	private final long to;

	private final Map<ItemKind, Drawing> drawings;

	private final Deque<Drawn> page = new ArrayDeque<>();

	private long returned;

	private long scanned;

	private boolean exhausted;

	/**
	 * @param catalog the index
	 * @param draw the day's draw
	 * @param from the partition's packs start after this id
	 * @param to and end at this one
	 * @param drawings per kind kept in packs, what was drawn of it
	 */
	DrawnPacks(VaultCatalog catalog, SampleDraw draw, long from, long to, Map<ItemKind, Drawing> drawings) {
		this.catalog = catalog;
		this.draw = draw;
		this.to = to;
		this.drawings = new EnumMap<>(drawings);
		this.returned = from;
		this.scanned = from;
	}

	@Override
	public void open(ExecutionContext context) {
		if (context.containsKey(SampledItems.LAST)) {
			this.returned = context.getLong(SampledItems.LAST);
			this.scanned = this.returned;
		}
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(SampledItems.LAST, this.returned);
	}

	@Override
	public Drawn read() {
		while (this.page.isEmpty() && !this.exhausted) {
			List<PackItems> packs = this.catalog.packs(this.scanned, this.to, PAGE);
			List<PackItems> toCheck = new ArrayList<>();
			for (PackItems pack : packs) {
				this.scanned = pack.pack().id();
				boolean whole = drawn(pack.pack());
				List<StoredItem> blocks = new ArrayList<>(pack.blocks().size());
				for (StoredItem block : pack.blocks()) {
					if (drawn(block)) {
						blocks.add(block);
					}
				}
				if (whole || !blocks.isEmpty()) {
					PackItems drawn = pack.with(blocks);
					toCheck.add(drawn);
					this.page.add(new Drawn.Pack(drawn, whole));
				}
			}
			// The data keys and file rows the page's checks need, in two queries.
			this.catalog.prepare(toCheck);
			if (packs.size() < PAGE) {
				this.exhausted = true;
			}
		}
		Drawn next = this.page.poll();
		if (next != null) {
			this.returned = next.id();
		}
		return next;
	}

	private boolean drawn(StoredItem item) {
		Drawing drawing = this.drawings.get(item.kind());
		return drawing != null && item.id() <= drawing.maxId()
				&& this.draw.drawn(item.kind(), item.id(), drawing.threshold());
	}

	/**
	 * What the draw took of one kind.
	 *
	 * @param maxId the largest id the draw saw
	 * @param threshold the largest sample key taken
	 */
	record Drawing(long maxId, String threshold) {
	}

}
