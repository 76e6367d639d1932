package io.chatvault.sync;

import java.util.List;

/**
 * The unit a sync step reads and commits whole: one inbox delivery, one API page (with
 * the replies of its threads), or one slice of a dropped export. Its records and its
 * acknowledgements are committed in one transaction.
 *
 * @param source where it came from
 * @param records its records, possibly none (a last empty page still advances a
 * watermark)
 * @param acknowledgements the progress its commit records
 * @param delivery for an inbox unit as read, the delivery whose body the processor maps
 * into records (on several threads); null once mapped and for other units
 */
record SyncUnit(SyncSource source, List<SyncRecord> records, List<Acknowledgement> acknowledgements,
		InboxDelivery delivery) {

	SyncUnit {
		records = List.copyOf(records);
		acknowledgements = List.copyOf(acknowledgements);
	}

	SyncUnit(SyncSource source, List<SyncRecord> records, List<Acknowledgement> acknowledgements) {
		this(source, records, acknowledgements, null);
	}

}
