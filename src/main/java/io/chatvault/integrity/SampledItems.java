package io.chatvault.integrity;

import java.util.ArrayDeque;
import java.util.Deque;

import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultCatalog.StoredItem;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The drawn items of one partition (a kind kept outside packs, receipts or quarantined
 * input, and a range of ids), by id, paged from the index ({@link VaultCatalog#items})
 * and kept if {@link SampleDraw#drawn drawn}. Saves the id of the last item it returned,
 * so a restarted partition goes on after it.
 */
class SampledItems implements ItemStreamReader<Drawn> {

	static final String LAST = "integrity.last-id";

	private static final int PAGE = 500;

	private final VaultCatalog catalog;

	private final SampleDraw draw;

	private final ItemKind kind;

	private final long to;

	private final String threshold;

	private final Deque<StoredItem> page = new ArrayDeque<>();

	private long returned;

	private long scanned;

	private boolean exhausted;

	SampledItems(VaultCatalog catalog, SampleDraw draw, ItemKind kind, long from, long to, String threshold) {
		this.catalog = catalog;
		this.draw = draw;
		this.kind = kind;
		this.to = to;
		this.threshold = threshold;
		this.returned = from;
		this.scanned = from;
	}

	@Override
	public void open(ExecutionContext context) {
		if (context.containsKey(LAST)) {
			this.returned = context.getLong(LAST);
			this.scanned = this.returned;
		}
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(LAST, this.returned);
	}

	@Override
	public Drawn read() {
		while (this.page.isEmpty() && !this.exhausted) {
			var items = this.catalog.items(this.kind, this.scanned, PAGE);
			for (StoredItem item : items) {
				if (item.id() > this.to) {
					this.exhausted = true;
					break;
				}
				this.scanned = item.id();
				if (this.draw.drawn(this.kind, item.id(), this.threshold)) {
					this.page.add(item);
				}
			}
			if (items.size() < PAGE) {
				this.exhausted = true;
			}
		}
		StoredItem next = this.page.poll();
		if (next == null) {
			return null;
		}
		this.returned = next.id();
		return new Drawn.Item(next);
	}

}
