package io.chatvault.sync;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the deliveries waiting in the inbox for a group's accounts in one slice of the
 * window (captured after the slice's start and at or before its end, the last slice
 * ending at the window's end), a page (one query) per chunk, and hands them on a few
 * dozen to a unit (their bodies mapped by the processor): Spring Batch pays its costs per
 * unit (a task on the processing threads, a future, events), which per delivery were a
 * large part of the drain. It keeps no position of its own: what is left to read is what
 * is not drained, and draining commits with the records, so a restart or the next window
 * reads exactly what is left.
 */
class InboxReader implements ItemReader<SyncUnit> {

	/** Deliveries per unit at most. */
	static final int MAX_UNIT = 25;

	private final Inbox inbox;

	private final SyncWindow window;

	private final Instant capturedAfter;

	private final Instant capturedUntil;

	private final int pageSize;

	private final int unitSize;

	private final Deque<InboxDelivery> page = new ArrayDeque<>();

	private InboxDelivery last;

	private boolean exhausted;

	/**
	 * A reader of one slice whose units fill chunks of {@code inboxChunk} deliveries.
	 * @param inbox the inbox
	 * @param window the window
	 * @param capturedAfter the slice's start (exclusive), or null for none
	 * @param capturedUntil the slice's end (inclusive), at most the window's end
	 * @param inboxChunk deliveries per chunk (and per query)
	 */
	InboxReader(Inbox inbox, SyncWindow window, Instant capturedAfter, Instant capturedUntil, int inboxChunk) {
		this.inbox = inbox;
		this.window = window;
		this.capturedAfter = capturedAfter;
		this.capturedUntil = capturedUntil;
		this.pageSize = inboxChunk;
		this.unitSize = unitSize(inboxChunk);
	}

	/**
	 * The step's chunk size: units per chunk of {@code inboxChunk} deliveries.
	 * @param inboxChunk deliveries per chunk
	 * @return units per chunk
	 */
	static int unitsPerChunk(int inboxChunk) {
		return (inboxChunk + MAX_UNIT - 1) / MAX_UNIT;
	}

	/**
	 * Deliveries per unit: chunks cut in units of equal size.
	 * @param inboxChunk deliveries per chunk
	 * @return deliveries per unit, at most {@link #MAX_UNIT}
	 */
	static int unitSize(int inboxChunk) {
		int units = unitsPerChunk(inboxChunk);
		return (inboxChunk + units - 1) / units;
	}

	@Override
	public SyncUnit read() {
		if (this.page.isEmpty() && !this.exhausted) {
			List<InboxDelivery> next = this.inbox.waiting(this.window.group(), this.capturedAfter, this.capturedUntil,
					this.last, this.pageSize);
			this.page.addAll(next);
			this.exhausted = next.size() < this.pageSize;
		}
		if (this.page.isEmpty()) {
			return null;
		}
		List<InboxDelivery> deliveries = new ArrayList<>(Math.min(this.unitSize, this.page.size()));
		List<Acknowledgement> acknowledgements = new ArrayList<>(Math.min(this.unitSize, this.page.size()));
		while (deliveries.size() < this.unitSize && !this.page.isEmpty()) {
			InboxDelivery delivery = this.page.poll();
			deliveries.add(delivery);
			acknowledgements.add(new Acknowledgement.Drained(delivery.id()));
			this.last = delivery;
		}
		// Mapped by the processor, which runs on several threads.
		return new SyncUnit(SyncSource.INBOX, List.of(), acknowledgements, deliveries);
	}

}
