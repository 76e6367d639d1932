package io.chatvault.report;

import java.util.List;

/**
 * A detail sheet: one query whose rows are written to the workbook as they are read
 * (SXSSF), so that a month of millions of records keeps memory flat. Sheets longer than a
 * worksheet holds continue on further sheets ("Volume detail (2)").
 *
 * @param name the sheet's name
 * @param headers the column headers, one per selected column
 * @param sql the query
 * @param arguments its arguments
 */
public record DetailSheet(String name, List<String> headers, String sql, List<Object> arguments) {

}
