package io.chatvault.report;

import java.util.List;

/**
 * A small table on an area's sheet (per day, per group, per job): bounded by the period,
 * not by the archive's size, so it is held in memory.
 *
 * @param title the heading above it
 * @param headers the column headers
 * @param rows the rows; cells are numbers, text, dates or instants, or null for blank
 */
public record ReportTable(String title, List<String> headers, List<List<Object>> rows) {

}
