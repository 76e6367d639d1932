package io.chatvault.sync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the deliveries waiting in the inbox for a group's accounts, captured at or before
 * the window's end, one unit per delivery (its body mapped by the processor). It keeps no
 * position of its own: what is left to read is what is not drained, and draining commits
 * with the records, so a restart or the next window reads exactly what is left.
 */
class InboxReader implements ItemReader<SyncUnit> {

	private final Inbox inbox;

	private final SyncWindow window;

	private final int pageSize;

	private final Deque<InboxDelivery> page = new ArrayDeque<>();

	private InboxDelivery last;

	private boolean exhausted;

	InboxReader(Inbox inbox, SyncWindow window, int pageSize) {
		this.inbox = inbox;
		this.window = window;
		this.pageSize = pageSize;
	}

	@Override
	public SyncUnit read() {
		if (this.page.isEmpty() && !this.exhausted) {
			List<InboxDelivery> next = this.inbox.waiting(this.window.group(), this.window.windowEnd(), this.last,
					this.pageSize);
			this.page.addAll(next);
			this.exhausted = next.size() < this.pageSize;
		}
		InboxDelivery delivery = this.page.poll();
		if (delivery == null) {
			return null;
		}
		this.last = delivery;
		// Mapped by the processor, which runs on several threads.
		return new SyncUnit(SyncSource.INBOX, List.of(), List.of(new Acknowledgement.Drained(delivery.id())), delivery);
	}

}
