package io.chatvault.report;

import java.time.Duration;
import java.util.List;

/**
 * An area whose job the report expects but whose figures it cannot read yet: the job did
 * not run for the period, or its result tables are not installed. Each of its KPIs is a
 * finding that says which; the area is replaced by a reading one when the job's "Tables
 * the compliance report reads" land.
 *
 * @param order its place in the report
 * @param area the area's key
 * @param title its sheet
 * @param job the job that produces its figures
 * @param cadence the job's cadence, while the catalogue does not have it
 * @param tables the tables its figures will come from
 * @param kpis the KPIs it will hold
 */
record AwaitedArea(int order, String area, String title, String job, Duration cadence, List<String> tables,
		List<Awaited> kpis, ReportEvidence evidence) implements ReportArea {

	/**
	 * A KPI the area will hold.
	 *
	 * @param name what it measures
	 * @param unit its unit
	 * @param target its target, or null
	 */
	record Awaited(String name, String unit, Target target) {

	}

	@Override
	public Section section(ReportPeriod period) {
		Section.Builder section = new Section.Builder(this.area, this.title);
		long[] runs = this.evidence.runs(this.job, period, this.cadence);
		List<String> missingTables = this.tables.stream().filter((table) -> !this.evidence.tableExists(table)).toList();
		String why;
		if (runs[0] == 0) {
			why = this.evidence.didNotRun(this.job, period);
		}
		else if (runs[1] == 0) {
			why = "job " + this.job + " ran " + runs[0] + " time(s) for " + period.label() + " but never completed";
		}
		else if (!missingTables.isEmpty()) {
			why = "job " + this.job + " ran for " + period.label() + " but its tables ("
					+ String.join(", ", missingTables) + ") are not installed";
		}
		else {
			why = "job " + this.job + " ran for " + period.label()
					+ " but this version of the report does not read its tables yet";
		}
		for (Awaited kpi : this.kpis) {
			section.missing(kpi.name(), kpi.unit(), kpi.target(), why);
		}
		section.table(new ReportTable("Evidence", List.of("job", "runs for the period", "completed", "tables"),
				List.of(List.of(this.job, runs[0], runs[1], String.join(", ", this.tables)))));
		return section.build();
	}

}
