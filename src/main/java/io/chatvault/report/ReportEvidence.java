package io.chatvault.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.chatvault.jobs.Cadence;
import io.chatvault.jobs.JobCatalog;
import io.chatvault.jobs.JobDescription;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the areas ask the database before they read a job's tables: whether the tables are
 * installed, and whether the job ran for the period. A scheduled job "ran for the period"
 * when an execution of it started in the period or on the day after it (a job reporting
 * on a period that has just ended runs then); a job with a longer cadence than the period
 * (quarterly drills) when one started within its cadence before the period's end.
 */
@Component
class ReportEvidence {

	private final JdbcTemplate jdbc;

	private final JobCatalog catalog;

	ReportEvidence(JdbcTemplate jdbc, JobCatalog catalog) {
		this.jdbc = jdbc;
		this.catalog = catalog;
	}

	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/** Whether a table is installed (its job's migration has run). */
	boolean tableExists(String table) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table));
	}

	/** Whether the catalogue knows this job. */
	Optional<JobDescription> job(String name) {
		return this.catalog.descriptions().stream().filter((job) -> job.name().equals(name)).findFirst();
	}

	/**
	 * The window in which a run of the job counts for the period.
	 * @param job the job's name
	 * @param period the period
	 * @param expectedCadence the cadence to assume while the job is not in the catalogue
	 * @return from (inclusive) and to (exclusive)
	 */
	Instant[] evidenceWindow(String job, ReportPeriod period, Duration expectedCadence) {
		Instant to = period.end().plus(Duration.ofDays(1));
		Duration cadence = job(job).map(ReportEvidence::longestGap).orElse(expectedCadence);
		Duration length = Duration.between(period.start(), period.end());
		Instant from = (cadence.compareTo(length) > 0) ? period.end().minus(cadence) : period.start();
		return new Instant[] { from, to };
	}

	/**
	 * Executions of a job that started in its evidence window for the period.
	 * @param job the job's name
	 * @param period the period
	 * @param expectedCadence the cadence to assume while the job is not in the catalogue
	 * @return how many started, and how many of those completed
	 */
	long[] runs(String job, ReportPeriod period, Duration expectedCadence) {
		Instant[] window = evidenceWindow(job, period, expectedCadence);
		return this.jdbc.queryForObject("""
				SELECT count(*), count(*) FILTER (WHERE e.status = 'COMPLETED')
				FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				WHERE i.job_name = ? AND e.start_time >= ? AND e.start_time < ?
				""", (rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }, job, local(window[0]), local(window[1]));
	}

	/** "job checksum-sampling did not run in 2025-03 (last run: never)". */
	String didNotRun(String job, ReportPeriod period) {
		Optional<LocalDateTime> last = Optional.ofNullable(this.jdbc.queryForObject("""
				SELECT max(e.start_time) FROM batch_job_execution e
				JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ?
				""", LocalDateTime.class, job));
		return "job " + job + " did not run in " + period.label() + " (last run: "
				+ last.map((time) -> time.atZone(ZoneId.systemDefault()).toInstant().toString()).orElse("never") + ")";
	}

	/**
	 * Spring Batch stamps executions with the local time of the process that ran them
	 * (TIMESTAMP without zone): compare them in that time.
	 */
	static Timestamp local(Instant instant) {
		return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
	}

	static Timestamp utc(Instant instant) {
		return Timestamp.from(instant);
	}

	private static Duration longestGap(JobDescription job) {
		List<Cadence> cadences = job.schedules().stream().map(JobDescription.Schedule::cadence).toList();
		Duration shortest = null;
		for (Cadence cadence : cadences) {
			Duration gap = switch (cadence.kind()) {
				case ONCE -> null;
				case INTERVAL -> cadence.interval();
				case DAILY -> Duration.ofDays(1);
				case WEEKLY -> Duration.ofDays(7);
				case MONTHLY -> Duration.ofDays(31);
				case QUARTERLY -> Duration.ofDays(92);
				case HALF_YEARLY -> Duration.ofDays(184);
			};
			if (gap != null && (shortest == null || gap.compareTo(shortest) < 0)) {
				shortest = gap;
			}
		}
		return (shortest != null) ? shortest : Duration.ZERO;
	}

	/** Whether the job has a schedule (a job run by hand is not expected in a period). */
	boolean scheduled(String job) {
		return job(job).map(JobDescription::scheduled).orElse(false);
	}

}
