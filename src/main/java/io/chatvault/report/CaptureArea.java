package io.chatvault.report;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.chatvault.access.AccountPlatform;
import io.chatvault.message.SourcePlatform;

import org.springframework.stereotype.Component;

/**
 * Capture coverage and volumes, from the vault index (records by sent time, conversation
 * source and custodian) and the custodian registry: custodians and platforms with traffic
 * against those expected (active custodians with an account), and records per source,
 * group and day. The detail sheet lists records per day, source, group and custodian.
 */
@Component
class CaptureArea implements ReportArea {

	static final String AREA = "capture";

	private static final String PER_CUSTODIAN_DAY = """
			SELECT (m.sent_at AT TIME ZONE ?)::date AS day, c.source, vc.name AS custodian, count(*) AS records,
				count(*) FILTER (WHERE m.kind = 0) AS messages
			FROM vault_message m
			JOIN vault_conversation c ON c.id = m.conversation
			JOIN vault_custodian vc ON vc.id = c.custodian_id
			WHERE m.sent_at >= ? AND m.sent_at < ?
			GROUP BY 1, 2, 3
			""";

	private final ReportEvidence evidence;

	CaptureArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 10;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Capture");
		String zone = period.zone().getId();
		Object from = ReportEvidence.utc(period.start());
		Object to = ReportEvidence.utc(period.end());
		// One pass over the period's records, aggregated per day, source and custodian.
		List<Object[]> perSourceDay = this.evidence.jdbc()
			.query("""
					SELECT d.day, d.source, sum(d.records), sum(d.messages) FROM (%s) d GROUP BY 1, 2 ORDER BY 1, 2
					""".formatted(PER_CUSTODIAN_DAY), (rs,
					row) -> new Object[] { rs.getDate(1).toLocalDate(), rs.getString(2), rs.getLong(3), rs.getLong(4) },
					zone, from, to);
		long records = perSourceDay.stream().mapToLong((row) -> (Long) row[2]).sum();
		long messages = perSourceDay.stream().mapToLong((row) -> (Long) row[3]).sum();
		section.info("records archived", records, "count",
				"messages, events, edits, deletions, reactions sent in the period");
		section.info("messages archived", messages, "count", "records of kind message");

		TreeSet<String> sources = new TreeSet<>();
		perSourceDay.forEach((row) -> sources.add((String) row[1]));
		Map<LocalDate, Map<String, Long>> byDay = new TreeMap<>();
		period.dates().forEach((day) -> byDay.put(day, new LinkedHashMap<>()));
		perSourceDay.forEach((row) -> byDay.computeIfAbsent((LocalDate) row[0], (d) -> new LinkedHashMap<>())
			.put((String) row[1], (Long) row[2]));
		List<String> headers = new ArrayList<>(List.of("day"));
		headers.addAll(sources);
		headers.add("all sources");
		List<List<Object>> dayRows = new ArrayList<>();
		byDay.forEach((day, counts) -> {
			List<Object> row = new ArrayList<>();
			row.add(day);
			sources.forEach((source) -> row.add(counts.getOrDefault(source, 0L)));
			row.add(counts.values().stream().mapToLong(Long::longValue).sum());
			dayRows.add(row);
		});
		section.table(new ReportTable("Records per day and source", headers, dayRows));

		List<List<Object>> perGroup = this.evidence.jdbc()
			.query("""
					SELECT coalesce(ac.group_name, '(not in the registry)'), count(DISTINCT d.custodian), sum(d.records),
						sum(d.messages)
					FROM (%s) d LEFT JOIN access_custodian ac ON ac.id = d.custodian
					GROUP BY 1 ORDER BY 1
					"""
				.formatted(PER_CUSTODIAN_DAY),
					(rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)), zone,
					from, to);
		section.table(new ReportTable("Records per custodian group",
				List.of("group", "custodians with traffic", "records", "messages"), perGroup));

		coverage(section, period, from, to);

		section.detail(new DetailSheet("Volume detail",
				List.of("day", "source", "group", "custodian", "records", "messages"), """
						SELECT d.day, d.source, ac.group_name, d.custodian, d.records, d.messages
						FROM (%s) d LEFT JOIN access_custodian ac ON ac.id = d.custodian
						ORDER BY d.day, d.source, ac.group_name, d.custodian
						""".formatted(PER_CUSTODIAN_DAY), List.of(zone, from, to)));
		return section.build();
	}

	private void coverage(Section.Builder section, ReportPeriod period, Object from, Object to) {
		Date firstDay = Date.valueOf(period.first());
		// Expected: custodians active at some time in the period, with an account.
		long[] custodians = this.evidence.jdbc().queryForObject("""
				WITH expected AS (
					SELECT ac.id FROM access_custodian ac
					WHERE ac.created_at < ? AND (ac.status = 'active' OR ac.departure_date >= ?)
					AND EXISTS (SELECT 1 FROM access_custodian_account a WHERE a.custodian_id = ac.id)
				), seen AS (
					SELECT DISTINCT vc.name FROM vault_custodian vc
					WHERE EXISTS (SELECT 1 FROM vault_conversation c JOIN vault_message m ON m.conversation = c.id
						WHERE c.custodian_id = vc.id AND m.sent_at >= ? AND m.sent_at < ?)
				)
				SELECT (SELECT count(*) FROM expected), (SELECT count(*) FROM expected e JOIN seen s ON s.name = e.id)
				""", (rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) }, to, firstDay, from, to);
		if (custodians[0] == 0) {
			section.missing("custodians with traffic", "%", Target.BACKUP_COVERAGE,
					"the custodian registry has no active custodian with an account: coverage cannot be measured");
		}
		else {
			section.measured("custodians with traffic", JobRunsArea.percent(custodians[1], custodians[0]), "%",
					Target.BACKUP_COVERAGE, custodians[1] + " of " + custodians[0]
							+ " active custodians with an account have records in the period");
		}
		List<List<Object>> platforms = this.evidence.jdbc().query("""
				SELECT a.platform, count(DISTINCT a.custodian_id) FROM access_custodian_account a
				JOIN access_custodian ac ON ac.id = a.custodian_id
				WHERE ac.created_at < ? AND (ac.status = 'active' OR ac.departure_date >= ?)
				GROUP BY 1 ORDER BY 1
				""", (rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2)), to, firstDay);
		List<String> seenSources = this.evidence.jdbc().queryForList("""
				SELECT DISTINCT c.source FROM vault_conversation c
				WHERE EXISTS (SELECT 1 FROM vault_message m WHERE m.conversation = c.id AND m.sent_at >= ?
					AND m.sent_at < ?) ORDER BY 1
				""", String.class, from, to);
		List<List<Object>> rows = new ArrayList<>();
		long withTraffic = 0;
		for (List<Object> platform : platforms) {
			String name = (String) platform.get(0);
			boolean seen = seenSources.stream().anyMatch((source) -> platformOf(source).equals(name));
			withTraffic += seen ? 1 : 0;
			rows.add(List.of(name, platform.get(1), seen ? "yes" : "NO TRAFFIC"));
		}
		if (!platforms.isEmpty()) {
			section.measured("platforms with traffic", JobRunsArea.percent(withTraffic, platforms.size()), "%",
					Target.BACKUP_COVERAGE, withTraffic + " of " + platforms.size()
							+ " platforms with registered accounts; sources seen: " + String.join(", ", seenSources));
		}
		section.table(new ReportTable("Platforms: registered accounts against traffic",
				List.of("platform", "custodians with an account", "traffic in the period"), rows));
	}

	/**
	 * The account platform of a record source ({@code SLACK_EXPORT} is {@code slack}).
	 */
	private static String platformOf(String source) {
		try {
			return AccountPlatform.of(SourcePlatform.valueOf(source)).key();
		}
		catch (IllegalArgumentException ex) {
			return source;
		}
	}

}
