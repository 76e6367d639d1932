package io.chatvault.report;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Quarantined records: every input that could not be read, kept with its raw bytes and a
 * reason (vault_quarantine), counted by when it was quarantined; the detail sheet lists
 * each one.
 */
@Component
class QuarantineArea implements ReportArea {

	static final String AREA = "quarantine";

	private final ReportEvidence evidence;

	QuarantineArea(ReportEvidence evidence) {
		this.evidence = evidence;
	}

	@Override
	public int order() {
		return 80;
	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(AREA, "Quarantine");
		Object from = ReportEvidence.utc(period.start());
		Object to = ReportEvidence.utc(period.end());
		long quarantined = this.evidence.jdbc()
			.queryForObject("SELECT count(*) FROM vault_quarantine WHERE quarantined_at >= ? AND quarantined_at < ?",
					Long.class, from, to);
		section.info("records quarantined", quarantined, "count", "kept with their raw bytes and a reason");
		section.table(new ReportTable("Quarantined records per reason (first 100 reasons)",
				List.of("reason", "records", "bytes"),
				this.evidence.jdbc()
					.query("SELECT left(reason, 200), count(*), sum(raw_length) FROM vault_quarantine "
							+ "WHERE quarantined_at >= ? AND quarantined_at < ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100",
							(rs, row) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getLong(3)), from, to)));
		section.detail(new DetailSheet("Quarantine detail",
				List.of("quarantined at", "custodian", "file", "entry", "line", "reason", "bytes", "raw SHA-256"), """
						SELECT quarantined_at, custodian, origin_file, origin_entry, origin_line, left(reason, 500),
							raw_length, raw_sha256
						FROM vault_quarantine WHERE quarantined_at >= ? AND quarantined_at < ?
						ORDER BY quarantined_at, fingerprint
						""", List.of(from, to)));
		return section.build();
	}

}
