package io.chatvault.sync;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.chatvault.custodian.CustodianGroup;

/**
 * What the sync job needs from the capture inbox: the deliveries waiting for a group's
 * accounts, cut by capture time into slices that several threads drain at once, and a way
 * to mark them drained in the transaction that archives their records. Drained by
 * marking, not by an id watermark: ids handed out to concurrent capture servers commit
 * out of order, and a watermark would step over a delivery committed late.
 */
public interface Inbox {

	/**
	 * Deliveries not yet drained, for any of a group's accounts, captured after one time
	 * and at or before another, in the inbox's own order (capture time, then id), after a
	 * given one.
	 * @param group the custodian group
	 * @param capturedAfter the slice's start (exclusive), or null for no start
	 * @param capturedUntil the slice's end (inclusive): at most the window's end
	 * @param after the last delivery already read in this pass (keyset paging), or null
	 * @param limit the most to return
	 * @return the deliveries, bodies unsealed
	 */
	List<InboxDelivery> waiting(CustodianGroup group, Instant capturedAfter, Instant capturedUntil, InboxDelivery after,
			int limit);

	/**
	 * Capture times that cut the deliveries waiting for a group up to a window's end into
	 * {@code parts} slices of about as many deliveries each: slice {@code i} holds those
	 * captured after cut {@code i - 1} (none for the first) and at or before cut
	 * {@code i} (the window's end for the last). Slices may be empty (a small or empty
	 * inbox); together they hold every delivery captured at or before the window's end,
	 * whenever it commits.
	 * @param group the custodian group
	 * @param capturedUntil the window's end
	 * @param parts slices wanted
	 * @return {@code parts - 1} ascending times, each at most {@code capturedUntil}
	 */
	List<Instant> cuts(CustodianGroup group, Instant capturedUntil, int parts);

	/**
	 * Marks deliveries drained, in the caller's transaction.
	 * @param ids the deliveries
	 * @param jobExecutionId the sync execution that archived them
	 */
	void drained(Collection<Long> ids, long jobExecutionId);

}
