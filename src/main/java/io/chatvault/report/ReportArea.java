package io.chatvault.report;

/**
 * One area of the compliance report: reads the tables its job stores its results in and
 * turns them into KPIs, tables and detail sheets. An area whose tables are not installed,
 * or whose job did not run in the period, reports findings, never zeros. Areas are beans,
 * ordered by {@link #order()}: a new job's area is a new bean.
 */
interface ReportArea {

	/** Its place in the report (the summary's order and the sheets'). */
	int order();

	/**
	 * The area's section of one report.
	 * @param period the period reported on
	 * @return its KPIs, tables and detail sheets
	 */
	Section section(ReportPeriod period);

}
