package io.chatvault.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What one area contributes to a report: its KPIs (on the summary sheet and its own), the
 * small tables of its own sheet, and the detail sheets written streaming.
 *
 * @param area the area's key ({@code capture}, {@code sync}, ...)
 * @param title the sheet's name
 * @param kpis its KPIs
 * @param tables tables for its sheet (bounded: per day, per group, per job)
 * @param details detail sheets, streamed from the database
 */
public record Section(String area, String title, List<Kpi> kpis, List<ReportTable> tables, List<DetailSheet> details) {

	/** A section being put together by an area. */
	static final class Builder {

		private final String area;

		private final String title;

		private final List<Kpi> kpis = new ArrayList<>();

		private final List<ReportTable> tables = new ArrayList<>();

		private final List<DetailSheet> details = new ArrayList<>();

		Builder(String area, String title) {
			this.area = area;
			this.title = title;
		}

		Builder measured(String name, double value, String unit, Target target, String note) {
			this.kpis.add(Kpi.measured(this.area, name, value, unit, target, note));
			return this;
		}

		Builder info(String name, double value, String unit, String note) {
			this.kpis.add(Kpi.info(this.area, name, value, unit, note));
			return this;
		}

		Builder missing(String name, String unit, Target target, String why) {
			this.kpis.add(Kpi.missing(this.area, name, unit, java.util.Optional.ofNullable(target), why));
			return this;
		}

		Builder table(ReportTable table) {
			this.tables.add(table);
			return this;
		}

		Builder detail(DetailSheet detail) {
			this.details.add(detail);
			return this;
		}

		Section build() {
			return new Section(this.area, this.title, List.copyOf(this.kpis), List.copyOf(this.tables),
					List.copyOf(this.details));
		}

	}

}
