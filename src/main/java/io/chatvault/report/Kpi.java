package io.chatvault.report;

import java.util.Optional;

/**
 * One figure of the report beside its target. A figure that could not be measured (the
 * job that produces it did not run in the period, or its tables are not installed) has no
 * value and is a {@link Status#FINDING}: a missing figure is never reported as zero.
 *
 * @param area the area it belongs to (a sheet of the workbook)
 * @param name what it measures
 * @param value the figure; empty when it is missing
 * @param unit {@code %}, {@code count}, {@code hours}, {@code ms}, {@code days}
 * @param target the target, when the compliance team set one
 * @param status met, missed, finding (missing) or info (no target)
 * @param note why it is missing, or what it is made of
 */
public record Kpi(String area, String name, Optional<Double> value, String unit, Optional<Target> target, Status status,
		String note) {

	/** How a figure stands against its target. */
	public enum Status {

		/** The target is met. */
		MET,

		/** The target is missed. */
		MISSED,

		/**
		 * The figure is missing: its job did not run, or its tables are not installed.
		 */
		FINDING,

		/** A figure without a target. */
		INFO;

		/** {@code met}, {@code missed}, {@code finding}, {@code info}. */
		public String key() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * A measured figure, met or missed against its target.
	 * @param area the area
	 * @param name what it measures
	 * @param value the figure
	 * @param unit its unit
	 * @param target the target
	 * @param note what it is made of
	 * @return the KPI
	 */
	public static Kpi measured(String area, String name, double value, String unit, Target target, String note) {
		return new Kpi(area, name, Optional.of(value), unit, Optional.of(target),
				target.isMetBy(value) ? Status.MET : Status.MISSED, note);
	}

	/**
	 * A figure without a target.
	 * @param area the area
	 * @param name what it measures
	 * @param value the figure
	 * @param unit its unit
	 * @param note what it is made of
	 * @return the KPI
	 */
	public static Kpi info(String area, String name, double value, String unit, String note) {
		return new Kpi(area, name, Optional.of(value), unit, Optional.empty(), Status.INFO, note);
	}

	/**
	 * A figure that could not be measured: a finding.
	 * @param area the area
	 * @param name what it would measure
	 * @param unit its unit
	 * @param target its target, if it has one
	 * @param why why it is missing ("job checksum-sampling did not run in 2025-03")
	 * @return the KPI
	 */
	public static Kpi missing(String area, String name, String unit, Optional<Target> target, String why) {
		return new Kpi(area, name, Optional.empty(), unit, target, Status.FINDING, why);
	}

	/** The target as the report prints it, or an empty string. */
	public String targetText() {
		return this.target.map(Target::text).orElse("");
	}

}
