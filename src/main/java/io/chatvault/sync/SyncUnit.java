package io.chatvault.sync;

import java.util.List;

/**
 * The unit a sync step reads and commits whole: a few inbox deliveries, one API page
 * (with the replies of its threads), or one slice of a dropped export. Its records and
 * its acknowledgements are committed in one transaction.
 *
 * @param source where it came from
 * @param records its records, possibly none (a last empty page still advances a
 * watermark)
 * @param acknowledgements the progress its commit records
 * @param deliveries for an inbox unit as read, the deliveries whose bodies the processor
 * maps into records (on several threads); empty once mapped and for other units
 */
record SyncUnit(SyncSource source, List<SyncRecord> records, List<Acknowledgement> acknowledgements,
		List<InboxDelivery> deliveries) {

	SyncUnit {
		records = List.copyOf(records);
		acknowledgements = List.copyOf(acknowledgements);
		deliveries = List.copyOf(deliveries);
	}

	SyncUnit(SyncSource source, List<SyncRecord> records, List<Acknowledgement> acknowledgements) {
		this(source, records, acknowledgements, List.of());
	}

}
