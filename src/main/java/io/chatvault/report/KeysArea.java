package io.chatvault.report;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Key rotation (docs/keys.md, "Tables the compliance report reads"): the age of the
 * key-encryption key at the period's end, counted from when the latest completed rotation
 * made the version in force ({@code key_rotation_run.new_version}, made at
 * {@code key_kek_version.created_at}), against the 90 days the rotation's cadence
 * promises; and the data keys that rotation re-wrapped. A period with no rotation
 * completed within the job's cadence (92 days) before its end is a finding: a key made
 * outside a rotation has no age the report can vouch for.
 */
@Component
class KeysArea implements ReportArea {

	static final String AREA = "keys";

	static final String JOB = "key-rotation";

	static final Target KEK_AGE = Target.atMost(90, "days");

	private static final Duration CADENCE = Duration.ofDays(92);

	private final ReportEvidence evidence;

	KeysArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 71;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Keys");
		if (!this.evidence.tableExists("key_rotation_run")) {
			return awaited(section,
					this.evidence.didNotRun(JOB, period) + "; its tables (key_rotation_run) are not installed");
		}
		Instant[] window = this.evidence.evidenceWindow(JOB, period, CADENCE);
		List<Map<String, Object>> rotations = this.evidence.jdbc().queryForList("""
				SELECT r.quarter, r.previous_version, r.new_version, r.keys_rewrapped,
					'[' || array_to_string(r.versions_retired, ', ') || ']' AS versions_retired,
					coalesce(v.created_at, r.started_at) AS kek_created, r.started_at, r.completed_at
				FROM key_rotation_run r LEFT JOIN key_kek_version v ON v.version = r.new_version
				WHERE r.completed_at >= ? AND r.completed_at < ? ORDER BY r.completed_at DESC
				""", ReportEvidence.utc(window[0]), ReportEvidence.utc(window[1]));
		if (rotations.isEmpty()) {
			return awaited(section, "job " + JOB + " did not complete a rotation in the " + CADENCE.toDays()
					+ " days before the end of " + period.label());
		}
		Map<String, Object> latest = rotations.get(0);
		Instant created = ((Timestamp) latest.get("kek_created")).toInstant();
		// A rotation on the day after the period (its cadence's run) makes the key the
		// report is sent under: its age is then none.
		long age = Math.max(0, Duration.between(created, period.end()).toDays());
		section.measured("age of the key-encryption key", age, "days", KEK_AGE, "version " + latest.get("new_version")
				+ ", made by the rotation of " + latest.get("quarter") + " on " + created);
		section.info("data keys re-wrapped by the latest rotation", ((Number) latest.get("keys_rewrapped")).longValue(),
				"count", "from version " + latest.get("previous_version") + "; versions retired: "
						+ latest.get("versions_retired"));
		section.table(new ReportTable("Rotations in the " + CADENCE.toDays() + " days before the period's end",
				List.of("quarter", "previous version", "new version", "data keys re-wrapped", "versions retired",
						"started at", "completed at"),
				rotations.stream()
					.map((r) -> List.<Object>of(r.get("quarter"), r.get("previous_version"), r.get("new_version"),
							r.get("keys_rewrapped"), r.get("versions_retired"), instant(r.get("started_at")),
							instant(r.get("completed_at"))))
					.toList()));
		return section.build();
	}

	private static String instant(Object timestamp) {
		return ((Timestamp) timestamp).toInstant().toString();
	}

	private static Section awaited(Section.Builder section, String why) {
		section.missing("age of the key-encryption key", "days", KEK_AGE, why);
		return section.build();
	}

}
