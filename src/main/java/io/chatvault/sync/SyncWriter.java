package io.chatvault.sync;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.ArchiveSummary;
import io.chatvault.vault.Vault;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commits a chunk of units: archives their records through the vault (one call per
 * source, so each source's duplicates are known), keeps quarantined ones, applies the
 * units' acknowledgements (inbox deliveries drained, watermarks advanced, dropped files'
 * progress) and adds the window's figures (reconciliation per source, latencies, late
 * arrivals, messages per minute and per account) - all in the chunk's one transaction.
 * Files completely imported are moved to {@code .done/} once that transaction has
 * committed.
 */
class SyncWriter implements ItemWriter<PreparedUnit> {

	private static final Log logger = LogFactory.getLog(SyncWriter.class);

	private final Vault vault;

	private final SyncWindow window;

	private final WindowTallies tallies;

	private final Watermarks watermarks;

	private final DroppedFiles droppedFiles;

	private final Inbox inbox;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final SyncProperties properties;

	SyncWriter(Vault vault, SyncWindow window, WindowTallies tallies, Watermarks watermarks, DroppedFiles droppedFiles,
			Inbox inbox, JdbcTemplate jdbc, Clock clock, SyncProperties properties) {
		this.vault = vault;
		this.window = window;
		this.tallies = tallies;
		this.watermarks = watermarks;
		this.droppedFiles = droppedFiles;
		this.inbox = inbox;
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	@Override
	public void write(Chunk<? extends PreparedUnit> chunk) {
		Map<SyncSource, List<ArchiveRequest>> requests = new EnumMap<>(SyncSource.class);
		Map<String, Long> tally = new HashMap<>();
		Counts counts = new Counts();
		List<Object[]> late = new ArrayList<>();
		List<Long> drained = new ArrayList<>();
		Instant now = this.clock.instant();
		for (PreparedUnit prepared : chunk) {
			SyncUnit unit = prepared.unit();
			String source = unit.source().key();
			if (!unit.records().isEmpty()) {
				add(tally, "read." + source, unit.records().size());
			}
			for (int i = 0; i < unit.records().size(); i++) {
				SyncRecord record = unit.records().get(i);
				ArchiveRequest request = prepared.requests().get(i);
				if (request != null) {
					requests.computeIfAbsent(unit.source(), (key) -> new ArrayList<>()).add(request);
					figures(unit.source(), record, (ChatRecord) record.record(), request.messageId(), counts, tally,
							late);
				}
				else {
					this.vault.quarantine((QuarantinedRecord) record.record(), record.custodian());
					add(tally, "quarantined." + source, 1);
				}
				counts.capturedToArchived.add(Duration.between(record.capturedAt(), now).toMillis());
			}
			for (Acknowledgement acknowledgement : unit.acknowledgements()) {
				acknowledge(acknowledgement, drained, now, tally);
			}
		}
		counts.addTo(tally);
		for (Map.Entry<SyncSource, List<ArchiveRequest>> entry : requests.entrySet()) {
			ArchiveSummary summary = this.vault.archive(entry.getValue());
			if (summary.archived() + summary.duplicates() != entry.getValue().size()) {
				throw new IllegalStateException("The vault accounted for " + (summary.archived() + summary.duplicates())
						+ " of " + entry.getValue().size() + " records; refusing to commit an unreconciled chunk");
			}
			add(tally, "archived." + entry.getKey().key(), summary.archived());
			add(tally, "duplicates." + entry.getKey().key(), summary.duplicates());
		}
		if (!drained.isEmpty()) {
			this.inbox.drained(drained, this.window.jobExecutionId());
		}
		// The tallies first: a chunk with late arrivals locks the window's late.count row
		// there, so chunks of slices drained at once list late arrivals one after the
		// other and the listing stays within late-details; the rows stay locked until the
		// commit, which is all that follows.
		this.tallies.add(this.window.groupName(), this.window.windowEnd(), tally);
		lateArrivals(late);
	}

	private void figures(SyncSource source, SyncRecord record, ChatRecord chat, String messageId, Counts counts,
			Map<String, Long> tally, List<Object[]> late) {
		counts.minutes.computeIfAbsent(Math.floorDiv(chat.sentAt().getEpochSecond(), 60), (minute) -> new long[1])[0]++;
		if (record.account() != null) {
			counts.accounts.computeIfAbsent(record.account(), (account) -> new long[1])[0]++;
		}
		if (source != SyncSource.INBOX) {
			return;
		}
		long lag = Duration.between(chat.sentAt(), record.capturedAt()).toMillis();
		counts.sentToCaptured.add(lag);
		Instant start = this.window.windowStart();
		// Sent in a window that had closed when it was captured: taken by this window.
		if (start != null && !chat.sentAt().isAfter(start) && record.capturedAt().isAfter(start)) {
			add(tally, "late.count", 1);
			tally.merge("max.late", Math.max(0, lag), Math::max);
			late.add(new Object[] { this.window.groupName(), Timestamp.from(this.window.windowEnd()), record.inboxId(),
					record.account(), messageId, Timestamp.from(chat.sentAt()), Timestamp.from(record.capturedAt()),
					Math.max(0, lag) });
		}
	}

	private void lateArrivals(List<Object[]> late) {
		if (late.isEmpty()) {
			return;
		}
		Long listed = this.jdbc.queryForObject(
				"SELECT count(*) FROM sync_late_arrival WHERE group_name = ? AND window_end = ?", Long.class,
				this.window.groupName(), Timestamp.from(this.window.windowEnd()));
		int room = (int) Math.max(0, this.properties.lateDetails() - ((listed != null) ? listed : 0));
		if (room > 0) {
			this.jdbc.batchUpdate("""
					INSERT INTO sync_late_arrival (group_name, window_end, inbox_id, account, message_id, sent_at,
						captured_at, lag_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
					""", late.subList(0, Math.min(room, late.size())));
		}
	}

	private void acknowledge(Acknowledgement acknowledgement, List<Long> drained, Instant now,
			Map<String, Long> tally) {
		if (acknowledgement instanceof Acknowledgement.Drained inboxDrained) {
			drained.add(inboxDrained.inboxId());
			add(tally, "deliveries.inbox", 1);
		}
		else if (acknowledgement instanceof Acknowledgement.Watermark watermark) {
			this.watermarks.advance(this.window.groupName(), watermark.source(), watermark.position(),
					this.window.windowEnd(), this.window.jobExecutionId());
		}
		else if (acknowledgement instanceof Acknowledgement.DroppedFile file) {
			this.droppedFiles.progress(this.window.groupName(), this.window.windowEnd(), this.window.jobExecutionId(),
					file, now);
			if (file.done()) {
				add(tally, "files.drop", 1);
				afterCommit(() -> DropFolder.retire(file.groupFolder(), file.file(), this.properties.afterImport()));
			}
		}
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				try {
					action.run();
				}
				catch (RuntimeException ex) {
					// The database says the file is done; the next run moves it.
					logger.warn("Could not retire an imported file: " + ex.getMessage());
				}
			}
		});
	}

	/**
	 * A chunk's per-record figures, counted without building a counter's name for each
	 * record (the names are made once per chunk, in {@link #addTo}).
	 */
	private static final class Counts {

		final Map<Long, long[]> minutes = new HashMap<>();

		final Map<String, long[]> accounts = new HashMap<>();

		final Latencies sentToCaptured = new Latencies("sc");

		final Latencies capturedToArchived = new Latencies("ca");

		void addTo(Map<String, Long> tally) {
			this.minutes.forEach((minute, count) -> add(tally, "minute." + minute, count[0]));
			this.accounts.forEach((account, count) -> add(tally, "account." + account, count[0]));
			this.sentToCaptured.addTo(tally);
			this.capturedToArchived.addTo(tally);
		}

	}

	/** Latencies of one measure in a chunk: counts by bucket and the maximum. */
	private static final class Latencies {

		private final String measure;

		private final Map<Integer, long[]> buckets = new HashMap<>();

		private long max = -1;

		Latencies(String measure) {
			this.measure = measure;
		}

		void add(long millis) {
			this.buckets.computeIfAbsent(LatencyHistogram.bucket(millis), (bucket) -> new long[1])[0]++;
			this.max = Math.max(this.max, Math.max(0, millis));
		}

		void addTo(Map<String, Long> tally) {
			this.buckets.forEach((bucket, count) -> SyncWriter.add(tally, this.measure + ".b" + bucket, count[0]));
			if (this.max >= 0) {
				tally.merge("max." + this.measure, this.max, Math::max);
			}
		}

	}

	private static void add(Map<String, Long> tally, String name, long amount) {
		tally.merge(name, amount, Long::sum);
	}

}
