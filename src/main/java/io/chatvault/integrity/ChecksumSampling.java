package io.chatvault.integrity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The three parts of a checksum-sampling run that are not per item: the draw (per kind of
 * item, the population, the target and the threshold of the seeded sample, in
 * {@code integrity_run_kind}), the partitions the checks run in, and the summary (counts
 * per kind and per run, throughput, the one-line summary and the run's audit entry).
 */
@Component
class ChecksumSampling {

	static final String KIND = "integrity.kind";

	static final String PART = "integrity.part";

	static final String FROM = "integrity.from";

	static final String TO = "integrity.to";

	static final String THRESHOLD = "integrity.threshold";

	/** The {@link #KIND} of a partition of packs. */
	static final String PACKS = "PACKS";

	static final String MAX_ID = "integrity.max-id.";

	/**
	 * What checking one record costs, in bytes of media checked with the same CPU (JVM
	 * and PostgreSQL): 440-470 measured with the lean record check, docs/BENCHMARKS.md.
	 */
	static final long RECORD_COST_BYTES = 450;

	private static final int PAGE = 10_000;

	private final VaultCatalog catalog;

	private final JdbcTemplate jdbc;

	private final IntegrityProperties properties;

	private final IntegrityRepairs repairs;

	private final AuditLog auditLog;

	private final Clock clock;

	ChecksumSampling(VaultCatalog catalog, JdbcTemplate jdbc, IntegrityProperties properties, IntegrityRepairs repairs,
			AuditLog auditLog, Clock clock) {
		this.catalog = catalog;
		this.jdbc = jdbc;
		this.properties = properties;
		this.repairs = repairs;
		this.auditLog = auditLog;
		this.clock = clock;
	}

	/**
	 * Draws the day's sample of every kind and records it.
	 * @param run the run
	 * @param full whether to take everything
	 */
	void draw(IntegrityRepairs.Run run, boolean full) {
		SampleDraw draw = new SampleDraw(run.day());
		long records = this.catalog.records();
		for (ItemKind kind : ItemKind.values()) {
			boolean recordBlocks = kind == ItemKind.RECORD_BLOCK;
			long population = recordBlocks ? records : this.catalog.count(kind);
			long target = full ? Long.MAX_VALUE : SampleDraw.target(population, this.properties.sampleFraction(),
					recordBlocks ? this.properties.sampleMinimumRecords() : this.properties.sampleMinimumItems());
			SampleDraw.Drawing drawing = draw.new Drawing(kind, full ? 0 : target);
			long minId = Long.MAX_VALUE;
			long after = 0;
			List<VaultCatalog.Drawable> page;
			do {
				page = this.catalog.drawable(kind, after, PAGE);
				for (VaultCatalog.Drawable item : page) {
					drawing.offer(item.id(), recordBlocks ? item.records() : 1);
					minId = Math.min(minId, item.id());
					after = item.id();
				}
			}
			while (page.size() == PAGE);
			boolean empty = drawing.population() == 0;
			String threshold = empty ? SampleDraw.NONE : full ? SampleDraw.ALL : drawing.threshold();
			this.jdbc.update("INSERT INTO integrity_run_kind (job_instance_id, kind, population, population_records, "
					+ "min_id, max_id, target, threshold, drawn, drawn_records) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					run.instanceId(), kind.name(), drawing.population(), recordBlocks ? drawing.populationWeight() : 0,
					empty ? 0 : minId, drawing.maxId(), full ? drawing.populationWeight() : target, threshold,
					full ? drawing.population() : drawing.items(),
					recordBlocks ? (full ? drawing.populationWeight() : drawing.weight()) : 0);
		}
	}

	/**
	 * The partitions of the checks: the packs (holding every kind of item but receipts
	 * and quarantined input) cut into {@code grid-size} ranges of pack ids of about equal
	 * checking cost ({@link #packCuts}), each pack read once for itself and its drawn
	 * blocks; and per other kind with anything drawn, its id range cut into
	 * {@code grid-size} slices.
	 * @param instanceId the run
	 * @param gridSize slices per kind
	 * @return partition contexts by name
	 */
	Map<String, ExecutionContext> partitions(long instanceId, int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		Map<ItemKind, DrawnPacks.Drawing> inPacks = new EnumMap<>(ItemKind.class);
		this.jdbc.query("SELECT kind, min_id, max_id, threshold, drawn FROM integrity_run_kind "
				+ "WHERE job_instance_id = ? AND drawn > 0 ORDER BY kind", (rs) -> {
					ItemKind kind = ItemKind.valueOf(rs.getString(1));
					long min = rs.getLong(2);
					long max = rs.getLong(3);
					if (kind != ItemKind.RECEIPT && kind != ItemKind.QUARANTINE) {
						inPacks.put(kind, new DrawnPacks.Drawing(max, rs.getString(4)));
						return;
					}
					long span = max - min + 1;
					int slices = (int) Math.max(1, Math.min(gridSize, Math.min(span, rs.getLong(5) / 100 + 1)));
					long from = min - 1;
					for (int i = 1; i <= slices; i++) {
						long to = (i == slices) ? max : min - 1 + span * i / slices;
						ExecutionContext context = new ExecutionContext();
						String name = kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + i;
						context.putString(KIND, kind.name());
						context.putString(PART, name);
						context.putLong(FROM, from);
						context.putLong(TO, to);
						context.putString(THRESHOLD, rs.getString(4));
						partitions.put(name, context);
						from = to;
					}
				}, instanceId);
		if (!inPacks.isEmpty()) {
			long[] cuts = packCuts(gridSize);
			for (int i = 1; i < cuts.length; i++) {
				ExecutionContext context = new ExecutionContext();
				String name = "packs-" + i;
				context.putString(KIND, PACKS);
				context.putString(PART, name);
				context.putLong(FROM, cuts[i - 1]);
				context.putLong(TO, cuts[i]);
				inPacks.forEach((kind, drawing) -> {
					context.putLong(MAX_ID + kind.name(), drawing.maxId());
					context.putString(THRESHOLD + "." + kind.name(), drawing.threshold());
				});
				partitions.put(name, context);
			}
		}
		return partitions;
	}

	/**
	 * Cuts the packs into ranges of ids of about equal checking cost: a pack's bytes plus
	 * {@value #RECORD_COST_BYTES} bytes per record it holds (checking a record, reading
	 * it, recomputing its id and checking its index row, costs about as much CPU as
	 * checking that many bytes of media, measured: docs/BENCHMARKS.md). Packs of records
	 * are written in runs, so a split by bytes alone can leave one thread with most of
	 * the records, and a split that weighs records too much leaves it the media.
	 * @param slices how many ranges
	 * @return the bounds: range {@code i} is the ids after {@code cuts[i - 1]} up to
	 * {@code cuts[i]}
	 */
	private long[] packCuts(int slices) {
		String cost = "p.size + " + RECORD_COST_BYTES + " * coalesce((SELECT sum(b.entries) FROM vault_block b "
				+ "WHERE b.pack_id = p.id AND b.kind = 1), 0)";
		Map<String, Object> all = this.jdbc.queryForMap("SELECT coalesce(min(p.id), 1) AS min, "
				+ "coalesce(max(p.id), 0) AS max, coalesce(sum(" + cost + "), 0) AS cost FROM vault_pack p");
		long min = number(all, "min");
		long max = number(all, "max");
		long total = number(all, "cost");
		int n = (int) Math.max(1, Math.min(slices, max - min + 1));
		long[] cuts = new long[n + 1];
		cuts[0] = min - 1;
		for (int i = 1; i < n; i++) {
			Long cut = this.jdbc.queryForObject(
					"SELECT min(id) FROM (SELECT p.id, sum(" + cost
							+ ") OVER (ORDER BY p.id) AS upto FROM vault_pack p) s WHERE upto >= ?",
					Long.class, total * i / n);
			cuts[i] = Math.max(cuts[i - 1], (cut != null) ? cut : max);
		}
		cuts[n] = Math.max(cuts[n - 1], max);
		return cuts;
	}

	/**
	 * Ends a run: unrepairable objects tried again, counts summed, the run's row, its
	 * summary and audit entry.
	 * @param run the run
	 * @param full a full pass
	 * @param startedAt when the first execution of the run started
	 * @param seconds the seconds its executions have run
	 * @return the summary
	 */
	Summary summarize(IntegrityRepairs.Run run, boolean full, Instant startedAt, double seconds) {
		this.repairs.retryUnrepairable(run);
		this.jdbc.update("""
				UPDATE integrity_run_kind k SET
					sampled = coalesce((SELECT sum(p.sampled) FROM integrity_run_part p %1$s), 0),
					verified = coalesce((SELECT sum(p.verified) FROM integrity_run_part p %1$s), 0),
					failed = coalesce((SELECT sum(p.failed) FROM integrity_run_part p %1$s), 0),
					erased = coalesce((SELECT sum(p.erased) FROM integrity_run_part p %1$s), 0),
					bytes_read = coalesce((SELECT sum(p.bytes_read) FROM integrity_run_part p %1$s), 0)
				WHERE k.job_instance_id = ?
				""".formatted("WHERE p.job_instance_id = k.job_instance_id AND p.kind = k.kind"), run.instanceId());
		Map<String, Object> totals = this.jdbc.queryForMap("""
				SELECT coalesce(sum(sampled), 0) AS sampled, coalesce(sum(records), 0) AS records,
					coalesce(sum(verified), 0) AS verified, coalesce(sum(failed), 0) AS failed,
					coalesce(sum(erased), 0) AS erased, coalesce(sum(bytes_read), 0) AS bytes
					FROM integrity_run_part WHERE job_instance_id = ?
				""", run.instanceId());
		Map<String, Object> archive = this.jdbc.queryForMap("SELECT coalesce(sum(population), 0) AS items, "
				+ "coalesce(sum(population_records), 0) AS records FROM integrity_run_kind WHERE job_instance_id = ?",
				run.instanceId());
		Map<String, Object> incidents = this.jdbc
			.queryForMap("SELECT count(*) FILTER (WHERE outcome = 'repaired') AS repaired, "
					+ "count(*) FILTER (WHERE outcome = 'unrepairable') AS unrepairable "
					+ "FROM integrity_incident WHERE job_instance_id = ?", run.instanceId());
		Summary summary = new Summary(run, full, number(totals, "sampled"), number(totals, "records"),
				number(totals, "verified"), number(totals, "failed"), number(totals, "erased"),
				number(incidents, "repaired"), number(incidents, "unrepairable"), number(totals, "bytes"),
				Math.max(seconds, 0.001));
		Instant completedAt = this.clock.instant();
		this.jdbc.update("""
				INSERT INTO integrity_run (job_instance_id, job_execution_id, day, full_pass, items_in_archive,
					records_in_archive, sampled, records_sampled, verified, failed, erased, repaired, unrepairable,
					bytes_read, seconds, mb_per_second, records_per_second, outcome, started_at, completed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (job_instance_id) DO UPDATE SET job_execution_id = excluded.job_execution_id,
					sampled = excluded.sampled, records_sampled = excluded.records_sampled,
					verified = excluded.verified, failed = excluded.failed, erased = excluded.erased,
					repaired = excluded.repaired,
					unrepairable = excluded.unrepairable, bytes_read = excluded.bytes_read, seconds = excluded.seconds,
					mb_per_second = excluded.mb_per_second, records_per_second = excluded.records_per_second,
					outcome = excluded.outcome, completed_at = excluded.completed_at
				""", run.instanceId(), run.executionId(), Date.valueOf(run.day()), full, number(archive, "items"),
				number(archive, "records"), summary.sampled(), summary.records(), summary.verified(), summary.failed(),
				summary.erased(), summary.repaired(), summary.unrepairable(), summary.bytes(),
				decimal(summary.seconds(), 3), decimal(summary.megabytesPerSecond(), 3),
				decimal(summary.recordsPerSecond(), 1), summary.outcome(), Timestamp.from(startedAt),
				Timestamp.from(completedAt));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("day", run.day().toString());
		details.put("full", full);
		details.put("sampled", summary.sampled());
		details.put("records", summary.records());
		details.put("verified", summary.verified());
		details.put("failed", summary.failed());
		details.put("erased", summary.erased());
		details.put("repaired", summary.repaired());
		details.put("unrepairable", summary.unrepairable());
		details.put("bytes", summary.bytes());
		this.auditLog.append(new AuditEvent(IntegrityRepairs.ACTOR, "", "integrity.sampling",
				"execution:" + run.executionId(), summary.outcome(), details));
		return summary;
	}

	/**
	 * The seconds the executions of a run have taken, this one up to now.
	 * @param instanceId the run
	 * @param thisExecution the current execution
	 * @param thisStart its start
	 * @return seconds
	 */
	double seconds(long instanceId, long thisExecution, LocalDateTime thisStart) {
		double seconds = Duration.between(thisStart, LocalDateTime.now()).toMillis() / 1000.0;
		for (Map<String, Object> row : this.jdbc.queryForList(
				"SELECT job_execution_id, start_time, end_time "
						+ "FROM batch_job_execution WHERE job_instance_id = ? AND job_execution_id <> ?",
				instanceId, thisExecution)) {
			if (row.get("start_time") instanceof Timestamp start && row.get("end_time") instanceof Timestamp end) {
				seconds += (end.getTime() - start.getTime()) / 1000.0;
			}
		}
		return seconds;
	}

	/**
	 * When the first execution of a run started.
	 * @param instanceId the run
	 * @return the instant
	 */
	Instant firstStart(long instanceId) {
		Timestamp first = this.jdbc.queryForObject(
				"SELECT min(start_time) FROM batch_job_execution WHERE job_instance_id = ?", Timestamp.class,
				instanceId);
		return (first != null) ? first.toLocalDateTime().atZone(java.time.ZoneId.systemDefault()).toInstant()
				: this.clock.instant();
	}

	private static long number(Map<String, Object> row, String column) {
		return ((Number) row.get(column)).longValue();
	}

	private static BigDecimal decimal(double value, int scale) {
		return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
	}

	/**
	 * What a run checked and found.
	 *
	 * @param run the run
	 * @param full a full pass
	 * @param sampled items checked
	 * @param records records they hold
	 * @param verified items that checked out on the primary
	 * @param failed items that did not
	 * @param erased items whose data key an erasure destroyed (their stored SHA-256
	 * matched; nothing more can be read)
	 * @param repaired damaged objects repaired from the replica
	 * @param unrepairable damaged objects not repaired
	 * @param bytes bytes read from the primary
	 * @param seconds seconds taken
	 */
	record Summary(IntegrityRepairs.Run run, boolean full, long sampled, long records, long verified, long failed,
			long erased, long repaired, long unrepairable, long bytes, double seconds) {

		double megabytesPerSecond() {
			return this.bytes / 1e6 / this.seconds;
		}

		double recordsPerSecond() {
			return this.records / this.seconds;
		}

		String outcome() {
			return (this.unrepairable > 0) ? "unrepairable" : (this.repaired > 0) ? "repaired" : "intact";
		}

		/** One line. */
		String line() {
			String found = (this.failed == 0) ? "all intact"
					: String.format("%,d failed; %,d damaged object(s) repaired from the replica, %,d unrepairable",
							this.failed, this.repaired, this.unrepairable);
			String erasedToo = (this.erased == 0) ? ""
					: String.format("%,d erased (data key destroyed; stored SHA-256 checked), ", this.erased);
			return String.format(
					"checksum-sampling %s (%s): %,d items checked (%,d records, %.1f MB) in %.1f s "
							+ "(%.1f MB/s, %,.0f records/s): %,d verified, %s%s",
					this.run.day(), this.full ? "full pass" : "sample", this.sampled, this.records, this.bytes / 1e6,
					this.seconds, megabytesPerSecond(), recordsPerSecond(), this.verified, erasedToo, found);
		}

	}

}
