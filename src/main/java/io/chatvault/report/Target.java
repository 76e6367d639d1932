package io.chatvault.report;

import java.util.Locale;

/**
 * A KPI's target: at least or at most a threshold. The seed's targets are constants here
 * (docs/reports.md lists them): backup coverage 99.9%, average capture latency under one
 * second, verification completion 100%, anomalies resolved within 4 hours on average,
 * audit coverage at least 95%, consent 100%, permission audit over 100% of accounts.
 *
 * @param atLeast whether the figure must be at least (else at most) the threshold
 * @param threshold the threshold, in the KPI's unit
 * @param text how the report prints it ("≥ 99.9%")
 */
public record Target(boolean atLeast, double threshold, String text) {

	/** Backup coverage: custodians and windows captured. */
	public static final Target BACKUP_COVERAGE = atLeast(99.9, "%");

	/** Average capture latency under one second. */
	public static final Target CAPTURE_LATENCY = below(1000, "ms");

	/** Verification completion (checksum sampling, reconciliation, drills). */
	public static final Target COMPLETE = atLeast(100, "%");

	/** Anomalies resolved within 4 hours on average. */
	public static final Target RESOLVED_WITHIN_4H = atMost(4, "h");

	/** Audit coverage. */
	public static final Target AUDIT_COVERAGE = atLeast(95, "%");

	/** Nothing of this kind (high-severity findings, leavers with access). */
	public static final Target NONE = atMost(0, "");

	/**
	 * At least a threshold.
	 * @param threshold the threshold
	 * @param unit the unit printed after it
	 * @return the target
	 */
	public static Target atLeast(double threshold, String unit) {
		return new Target(true, threshold, "≥ " + format(threshold) + unit);
	}

	/**
	 * At most a threshold.
	 * @param threshold the threshold
	 * @param unit the unit printed after it
	 * @return the target
	 */
	public static Target atMost(double threshold, String unit) {
		return new Target(false, threshold, "≤ " + format(threshold) + ((unit.isEmpty()) ? "" : " " + unit));
	}

	/**
	 * Strictly under a threshold.
	 * @param threshold the threshold
	 * @param unit the unit printed after it
	 * @return the target
	 */
	public static Target below(double threshold, String unit) {
		return new Target(false, Math.nextDown(threshold), "< " + format(threshold) + " " + unit);
	}

	/**
	 * Whether a figure meets this target.
	 * @param value the figure
	 * @return met
	 */
	public boolean isMetBy(double value) {
		return this.atLeast ? value >= this.threshold : value <= this.threshold;
	}

	private static String format(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%s", value);
	}

}
