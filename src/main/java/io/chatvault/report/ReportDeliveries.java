package io.chatvault.report;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code report_delivery} and {@code report_kpi} rows of each report: what the build,
 * store and send steps read to pick up where an earlier execution stopped.
 */
@Component
class ReportDeliveries {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ReportProperties properties;

	ReportDeliveries(JdbcTemplate jdbc, Clock clock, ReportProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	Optional<ReportDelivery> find(long instanceId) {
		return this.jdbc.query("SELECT * FROM report_delivery WHERE job_instance_id = ?", this::delivery, instanceId)
			.stream()
			.findFirst();
	}

	/**
	 * Records a (re)built workbook and its KPIs; a delivery not yet stored is replaced.
	 */
	void built(ReportDelivery delivery, List<Kpi> kpis, long executionId) {
		this.jdbc.update("DELETE FROM report_kpi WHERE job_instance_id = ?", delivery.instanceId());
		this.jdbc.update("DELETE FROM report_delivery WHERE job_instance_id = ? AND state = 'BUILT'",
				delivery.instanceId());
		int ordinal = 0;
		for (Kpi kpi : kpis) {
			this.jdbc.update(
					"INSERT INTO report_kpi (job_instance_id, ordinal, area, kpi, value, unit, target, status, note) "
							+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
					delivery.instanceId(), ordinal++, kpi.area(), truncate(kpi.name(), 200),
					kpi.value().map(java.math.BigDecimal::valueOf).orElse(null), kpi.unit(),
					kpi.target().map(Target::text).orElse(null), kpi.status().key(), kpi.note());
		}
		ReportPeriod period = delivery.period();
		this.jdbc.update("""
				INSERT INTO report_delivery (job_instance_id, job_name, kind, period, period_start, period_end,
					destination, recipients, message_id, staging_path, sha256, size_bytes, kpis, kpis_missed, findings,
					state, built_at, build_execution_id)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'BUILT', ?, ?)
				""", delivery.instanceId(), ReportJobConfiguration.JOB, period.kind().key(), period.label(),
				Timestamp.from(period.start()), Timestamp.from(period.end()), delivery.destination(),
				String.join(",", delivery.recipients()), delivery.messageId(), delivery.staging().toString(),
				delivery.sha256(), delivery.size(), delivery.kpis(), delivery.missed(), delivery.findings(),
				Timestamp.from(this.clock.instant()), executionId);
	}

	void stored(long instanceId, String objectKey) {
		this.jdbc.update(
				"UPDATE report_delivery SET state = 'STORED', object_key = ?, stored_at = ? "
						+ "WHERE job_instance_id = ? AND state = 'BUILT'",
				objectKey, Timestamp.from(this.clock.instant()), instanceId);
	}

	void sent(long instanceId, long executionId) {
		this.jdbc.update(
				"UPDATE report_delivery SET state = 'SENT', sent_at = ?, send_execution_id = ? "
						+ "WHERE job_instance_id = ? AND state = 'STORED'",
				Timestamp.from(this.clock.instant()), executionId, instanceId);
	}

	List<Kpi> kpis(long instanceId) {
		return this.jdbc.query("SELECT * FROM report_kpi WHERE job_instance_id = ? ORDER BY ordinal",
				(rs, row) -> new Kpi(rs.getString("area"), rs.getString("kpi"),
						Optional.ofNullable(rs.getBigDecimal("value")).map(java.math.BigDecimal::doubleValue),
						rs.getString("unit"), Optional.ofNullable(rs.getString("target")).map(ReportDeliveries::target),
						Kpi.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
						rs.getString("note")),
				instanceId);
	}

	private static Target target(String text) {
		// Only its text is shown again (the mail's summary); met or missed is stored.
		return new Target(true, 0, text);
	}

	private ReportDelivery delivery(ResultSet rs, int row) throws SQLException {
		String label = rs.getString("period");
		ReportPeriod period = "monthly".equals(rs.getString("kind")) ? ReportPeriod.month(label, this.properties.zone())
				: ReportPeriod.week(label, this.properties.zone());
		String recipients = rs.getString("recipients");
		return new ReportDelivery(rs.getLong("job_instance_id"), period, rs.getString("destination"),
				recipients.isEmpty() ? List.of() : Arrays.asList(recipients.split(",")), rs.getString("message_id"),
				Path.of(rs.getString("staging_path")), rs.getString("sha256"), rs.getLong("size_bytes"),
				rs.getInt("kpis"), rs.getInt("kpis_missed"), rs.getInt("findings"),
				Optional.ofNullable(rs.getString("object_key")), ReportDelivery.State.valueOf(rs.getString("state")));
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
