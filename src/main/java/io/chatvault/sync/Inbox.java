package io.chatvault.sync;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.chatvault.custodian.CustodianGroup;

/**
 * What the sync job needs from the capture inbox: the deliveries waiting for a group's
 * accounts, and a way to mark them drained in the transaction that archives their
 * records. Drained by marking, not by an id watermark: ids handed out to concurrent
 * capture servers commit out of order, and a watermark would step over a delivery
 * committed late.
 */
public interface Inbox {

	/**
	 * Deliveries not yet drained, for any of a group's accounts, captured at or before a
	 * window's end, in the inbox's own order (capture time, then id), after a given one.
	 * @param group the custodian group
	 * @param capturedUntil the window's end
	 * @param after the last delivery already read in this pass (keyset paging), or null
	 * @param limit the most to return
	 * @return the deliveries, bodies unsealed
	 */
	List<InboxDelivery> waiting(CustodianGroup group, Instant capturedUntil, InboxDelivery after, int limit);

	/**
	 * Marks deliveries drained, in the caller's transaction.
	 * @param ids the deliveries
	 * @param jobExecutionId the sync execution that archived them
	 */
	void drained(Collection<Long> ids, long jobExecutionId);

}
