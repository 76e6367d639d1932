package io.chatvault.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xddf.usermodel.chart.XDDFChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fills the template ({@code reports/templates/compliance-report.xlsx}) with a report:
 * the summary sheet (period, KPI table; the template's conditional formatting colours the
 * status), the daily figures the template's charts draw (their ranges cut to the period's
 * days), a sheet per area cloned from the template's {@code Area} sheet, then the detail
 * sheets, streamed from the database through SXSSF with a window of rows in memory,
 * continuing on further sheets past a worksheet's row limit.
 *
 * <p>
 * Template cells this relies on (ComplianceTemplate in the tests writes them): Summary
 * B3-B6 (period, report, generated, figures), row 8 KPI headers, row 9 the styles of a
 * KPI row; Daily row 1 headers, row 2 the styles of a day; Area A1 title, row 3 header,
 * row 4 value styles (text, number, date, date-time), A6 a table title.
 */
final class ReportWorkbook {

	static final String SUMMARY = "Summary";

	static final String DAILY = "Daily";

	static final String AREA = "Area";

	static final int KPI_FIRST_ROW = 8;

	/** Rows SXSSF keeps in memory per detail sheet. */
	private static final int WINDOW = 200;

	/** A worksheet holds 1,048,576 rows; one is the header. */
	static final int MAX_DETAIL_ROWS = 1_048_575;

	private final JdbcTemplate jdbc;

	private final int fetchSize;

	private final int maxDetailRows;

	ReportWorkbook(JdbcTemplate jdbc, int fetchSize, int maxDetailRows) {
		this.jdbc = jdbc;
		this.fetchSize = fetchSize;
		this.maxDetailRows = maxDetailRows;
	}

	/**
	 * Writes the workbook of a report.
	 * @param template the template's bytes
	 * @param contents the report
	 * @param generated when it was built
	 * @param out where to write the .xlsx
	 * @return rows written to detail sheets
	 */
	long write(InputStream template, ComplianceReport.Contents contents, Instant generated, OutputStream out)
			throws IOException {
		try (XSSFWorkbook workbook = new XSSFWorkbook(template)) {
			Styles styles = new Styles(workbook);
			summary(workbook.getSheet(SUMMARY), contents, generated, styles);
			daily(workbook, contents, styles);
			Set<String> names = new HashSet<>(List.of(SUMMARY, DAILY));
			for (Section section : contents.sections()) {
				area(workbook, section, styles, unique(names, section.title()));
			}
			workbook.removeSheetAt(workbook.getSheetIndex(AREA));
			workbook.setActiveSheet(workbook.getSheetIndex(SUMMARY));
			workbook.getProperties()
				.getCoreProperties()
				.setTitle("ChatVault compliance report " + contents.period().label());
			workbook.getProperties().getCoreProperties().setCreator("ChatVault");
			workbook.getProperties()
				.getCoreProperties()
				.setCreated(java.util.Optional.of(java.util.Date.from(generated)));
			SXSSFWorkbook streaming = new SXSSFWorkbook(workbook, WINDOW);
			streaming.setCompressTempFiles(true);
			try {
				long rows = 0;
				for (Section section : contents.sections()) {
					for (DetailSheet detail : section.details()) {
						rows += detail(streaming, detail, styles, names);
					}
				}
				streaming.write(out);
				return rows;
			}
			finally {
				streaming.dispose();
			}
		}
	}

	private void summary(XSSFSheet sheet, ComplianceReport.Contents contents, Instant generated, Styles styles) {
		ReportPeriod period = contents.period();
		sheet.getRow(2).getCell(1).setCellValue(period.describe());
		sheet.getRow(3)
			.getCell(1)
			.setCellValue(period.kind().key() + " report, " + period.parameter() + " (" + period.zone().getId() + ")");
		sheet.getRow(4).getCell(1).setCellValue(generated.toString());
		sheet.getRow(5)
			.getCell(1)
			.setCellValue(contents.kpis().size() + " KPIs: " + contents.count(Kpi.Status.MET) + " met, "
					+ contents.count(Kpi.Status.MISSED) + " missed, " + contents.count(Kpi.Status.FINDING)
					+ " findings (figures missing), " + contents.count(Kpi.Status.INFO) + " without target");
		int r = KPI_FIRST_ROW;
		for (Kpi kpi : contents.kpis()) {
			Row row = sheet.getRow(r);
			if (row == null) {
				row = sheet.createRow(r);
			}
			text(row, 0, kpi.area(), styles.kpi[0]);
			text(row, 1, kpi.name(), styles.kpi[1]);
			Cell value = row.createCell(2);
			value.setCellStyle(styles.kpi[2]);
			kpi.value().ifPresentOrElse(value::setCellValue, () -> value.setCellValue("missing"));
			text(row, 3, kpi.unit(), styles.kpi[3]);
			text(row, 4, kpi.targetText(), styles.kpi[4]);
			text(row, 5, kpi.status().key(), styles.kpi[5]);
			text(row, 6, kpi.note(), styles.kpi[6]);
			r++;
		}
	}

	private void daily(XSSFWorkbook workbook, ComplianceReport.Contents contents, Styles styles) {
		XSSFSheet sheet = workbook.getSheet(DAILY);
		int r = 1;
		for (DailyFigures day : contents.daily()) {
			Row row = (sheet.getRow(r) != null) ? sheet.getRow(r) : sheet.createRow(r);
			text(row, 0, day.day().toString(), styles.daily[0]);
			Cell records = row.createCell(1);
			records.setCellValue(day.records());
			records.setCellStyle(styles.daily[1]);
			Cell p50 = row.createCell(2);
			p50.setCellStyle(styles.daily[2]);
			day.latencyP50().ifPresent((v) -> p50.setCellValue(v));
			Cell p95 = row.createCell(3);
			p95.setCellStyle(styles.daily[3]);
			day.latencyP95().ifPresent((v) -> p95.setCellValue(v));
			r++;
		}
		int last = contents.daily().size();
		// The template's charts span the longest month; cut them to this period's days.
		for (XSSFSheet chartSheet : List.of(workbook.getSheet(SUMMARY), sheet)) {
			XSSFDrawing drawing = chartSheet.getDrawingPatriarch();
			if (drawing == null) {
				continue;
			}
			for (XSSFChart chart : drawing.getCharts()) {
				for (XDDFChartData data : chart.getChartSeries()) {
					for (int i = 0; i < data.getSeriesCount(); i++) {
						XDDFChartData.Series series = data.getSeries(i);
						int column = CellReference.convertColStringToIndex(
								series.getValuesData().getDataRangeReference().replaceAll("^.*!\\$?([A-Z]+).*$", "$1"));
						series.replaceData(
								XDDFDataSourcesFactory.fromStringCellRange(sheet, new CellRangeAddress(1, last, 0, 0)),
								XDDFDataSourcesFactory.fromNumericCellRange(sheet,
										new CellRangeAddress(1, last, column, column)));
					}
					chart.plot(data);
				}
			}
		}
	}

	private void area(XSSFWorkbook workbook, Section section, Styles styles, String name) {
		XSSFSheet sheet = workbook.cloneSheet(workbook.getSheetIndex(AREA), name);
		sheet.getRow(0).getCell(0).setCellValue(section.title());
		int r = 3;
		for (Kpi kpi : section.kpis()) {
			Row row = sheet.createRow(r++);
			text(row, 0, kpi.name(), styles.area[0]);
			Cell value = row.createCell(1);
			value.setCellStyle(styles.area[1]);
			kpi.value().ifPresentOrElse(value::setCellValue, () -> value.setCellValue("missing"));
			text(row, 2, kpi.unit(), styles.area[0]);
			text(row, 3, kpi.targetText(), styles.area[0]);
			text(row, 4, kpi.status().key(), styles.kpi[5]);
			text(row, 5, kpi.note(), styles.area[0]);
		}
		for (ReportTable table : section.tables()) {
			r++;
			text(sheet.createRow(r++), 0, table.title(), styles.tableTitle);
			Row header = sheet.createRow(r++);
			for (int c = 0; c < table.headers().size(); c++) {
				text(header, c, table.headers().get(c), styles.header);
			}
			for (List<Object> values : table.rows()) {
				Row row = sheet.createRow(r++);
				for (int c = 0; c < values.size(); c++) {
					value(row.createCell(c), values.get(c), styles);
				}
			}
			if (table.rows().isEmpty()) {
				text(sheet.createRow(r++), 0, "(none)", styles.area[0]);
			}
		}
	}

	private long detail(SXSSFWorkbook workbook, DetailSheet detail, Styles styles, Set<String> names) {
		long[] rows = { 0 };
		SXSSFSheet[] sheet = { null };
		int[] r = { 0 };
		this.jdbc.query((connection) -> {
			// Without autocommit off, PostgreSQL ignores the fetch size and reads every
			// row into memory.
			connection.setAutoCommit(false);
			var statement = connection.prepareStatement(detail.sql());
			statement.setFetchSize(this.fetchSize);
			for (int i = 0; i < detail.arguments().size(); i++) {
				statement.setObject(i + 1, detail.arguments().get(i));
			}
			return statement;
		}, (rs) -> {
			ResultSetMetaData meta = rs.getMetaData();
			if (sheet[0] == null || r[0] > this.maxDetailRows) {
				sheet[0] = newDetailSheet(workbook, detail, styles, names);
				r[0] = 1;
			}
			Row row = sheet[0].createRow(r[0]++);
			for (int c = 0; c < meta.getColumnCount(); c++) {
				value(row.createCell(c), rs.getObject(c + 1), styles);
			}
			rows[0]++;
		});
		if (sheet[0] == null) {
			SXSSFSheet empty = newDetailSheet(workbook, detail, styles, names);
			text(empty.createRow(1), 0, "(none)", styles.area[0]);
		}
		return rows[0];
	}

	private SXSSFSheet newDetailSheet(SXSSFWorkbook workbook, DetailSheet detail, Styles styles, Set<String> names) {
		SXSSFSheet sheet = workbook.createSheet(unique(names, detail.name()));
		Row header = sheet.createRow(0);
		for (int c = 0; c < detail.headers().size(); c++) {
			text(header, c, detail.headers().get(c), styles.header);
			sheet.setColumnWidth(c, 18 * 256);
		}
		sheet.createFreezePane(0, 1);
		return sheet;
	}

	private static String unique(Set<String> names, String wanted) {
		String base = WorkbookUtil.createSafeSheetName(wanted);
		String name = base;
		for (int i = 2; !names.add(name.toLowerCase(java.util.Locale.ROOT)); i++) {
			String suffix = " (" + i + ")";
			name = base.substring(0, Math.min(base.length(), 31 - suffix.length())) + suffix;
		}
		return name;
	}

	private static void text(Row row, int column, String value, CellStyle style) {
		Cell cell = row.createCell(column);
		cell.setCellValue((value.length() > 32_000) ? value.substring(0, 32_000) : value);
		cell.setCellStyle(style);
	}

	private static void value(Cell cell, Object value, Styles styles) {
		if (value == null) {
			return;
		}
		if (value instanceof Number number) {
			cell.setCellValue(number.doubleValue());
			cell.setCellStyle(styles.area[1]);
		}
		else if (value instanceof LocalDate date) {
			cell.setCellValue(date);
			cell.setCellStyle(styles.area[2]);
		}
		else if (value instanceof java.sql.Date date) {
			cell.setCellValue(date.toLocalDate());
			cell.setCellStyle(styles.area[2]);
		}
		else if (value instanceof Timestamp timestamp) {
			// timestamptz arrives as the instant; the workbook shows it in UTC.
			cell.setCellValue(LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC));
			cell.setCellStyle(styles.area[3]);
		}
		else if (value instanceof java.time.OffsetDateTime time) {
			cell.setCellValue(time.atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
			cell.setCellStyle(styles.area[3]);
		}
		else if (value instanceof LocalDateTime time) {
			cell.setCellValue(time);
			cell.setCellStyle(styles.area[3]);
		}
		else {
			String text = String.valueOf(value);
			cell.setCellValue((text.length() > 32_000) ? text.substring(0, 32_000) : text);
			cell.setCellStyle(styles.area[0]);
		}
	}

	/** The styles of the template's prototype cells. */
	private static final class Styles {

		final CellStyle[] kpi = new CellStyle[7];

		final CellStyle[] daily = new CellStyle[4];

		final CellStyle[] area = new CellStyle[4];

		final CellStyle header;

		final CellStyle tableTitle;

		Styles(XSSFWorkbook workbook) {
			Row kpiRow = workbook.getSheet(SUMMARY).getRow(KPI_FIRST_ROW);
			for (int c = 0; c < this.kpi.length; c++) {
				this.kpi[c] = kpiRow.getCell(c).getCellStyle();
			}
			Row day = workbook.getSheet(DAILY).getRow(1);
			for (int c = 0; c < this.daily.length; c++) {
				this.daily[c] = day.getCell(c).getCellStyle();
			}
			Sheet area = workbook.getSheet(AREA);
			for (int c = 0; c < this.area.length; c++) {
				this.area[c] = area.getRow(3).getCell(c).getCellStyle();
			}
			this.header = area.getRow(2).getCell(0).getCellStyle();
			this.tableTitle = area.getRow(5).getCell(0).getCellStyle();
			List<Cell> prototypes = new ArrayList<>();
			area.getRow(3).forEach(prototypes::add);
			prototypes.forEach((cell) -> cell.setBlank());
		}

	}

}
