package io.chatvault.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.ComparisonOperator;
import org.apache.poi.ss.usermodel.ConditionalFormattingRule;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.SheetConditionalFormatting;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xddf.usermodel.chart.AxisPosition;
import org.apache.poi.xddf.usermodel.chart.BarDirection;
import org.apache.poi.xddf.usermodel.chart.ChartTypes;
import org.apache.poi.xddf.usermodel.chart.LegendPosition;
import org.apache.poi.xddf.usermodel.chart.MarkerStyle;
import org.apache.poi.xddf.usermodel.chart.XDDFBarChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFCategoryAxis;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFDataSourcesFactory;
import org.apache.poi.xddf.usermodel.chart.XDDFLineChartData;
import org.apache.poi.xddf.usermodel.chart.XDDFNumericalDataSource;
import org.apache.poi.xddf.usermodel.chart.XDDFValueAxis;
import org.apache.poi.xddf.usermodel.XDDFColor;
import org.apache.poi.xddf.usermodel.XDDFLineProperties;
import org.apache.poi.xddf.usermodel.XDDFSolidFillProperties;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFChart;
import org.apache.poi.xssf.usermodel.XSSFColor;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The generator of the report's template,
 * {@code reports/templates/compliance-report.xlsx}: the design of the workbook, kept as
 * code so that a change to it is reviewed as one. {@code ComplianceTemplateTests} checks
 * the committed file against what {@link ReportWorkbook} relies on and rewrites it with
 * {@code -Dchatvault.report.template.write=true}.
 */
final class ComplianceTemplate {

	static final Path FILE = Path.of("reports/templates/compliance-report.xlsx");

	private static final byte[] NAVY_RGB = { (byte) 0x1F, (byte) 0x3A, (byte) 0x5F };

	private static final XSSFColor NAVY = new XSSFColor(NAVY_RGB);

	private static final XSSFColor PALE = new XSSFColor(new byte[] { (byte) 0xE8, (byte) 0xEE, (byte) 0xF5 });

	private ComplianceTemplate() {
	}

	static void write(Path file) throws IOException {
		try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
			build(workbook);
			workbook.write(out);
		}
	}

	static void build(XSSFWorkbook workbook) {
		XSSFFont titleFont = workbook.createFont();
		titleFont.setBold(true);
		titleFont.setFontHeightInPoints((short) 16);
		titleFont.setColor(new XSSFColor(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF }));
		XSSFCellStyle title = workbook.createCellStyle();
		title.setFont(titleFont);
		title.setFillForegroundColor(NAVY);
		title.setFillPattern(FillPatternType.SOLID_FOREGROUND);

		XSSFFont bold = workbook.createFont();
		bold.setBold(true);
		XSSFCellStyle label = workbook.createCellStyle();
		label.setFont(bold);

		XSSFFont headerFont = workbook.createFont();
		headerFont.setBold(true);
		headerFont.setColor(new XSSFColor(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF }));
		XSSFCellStyle header = workbook.createCellStyle();
		header.setFont(headerFont);
		header.setFillForegroundColor(NAVY);
		header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
		header.setBorderBottom(BorderStyle.THIN);

		XSSFCellStyle text = bordered(workbook);
		XSSFCellStyle number = bordered(workbook);
		number.setDataFormat(workbook.createDataFormat().getFormat("#,##0.###"));
		number.setAlignment(HorizontalAlignment.RIGHT);
		XSSFCellStyle date = bordered(workbook);
		date.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
		XSSFCellStyle dateTime = bordered(workbook);
		dateTime.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
		XSSFCellStyle status = bordered(workbook);
		status.setFont(bold);
		status.setAlignment(HorizontalAlignment.CENTER);
		XSSFCellStyle tableTitle = workbook.createCellStyle();
		XSSFFont subtitle = workbook.createFont();
		subtitle.setBold(true);
		subtitle.setFontHeightInPoints((short) 12);
		subtitle.setColor(NAVY);
		tableTitle.setFont(subtitle);

		// Summary: title, the period block, the KPI table.
		XSSFSheet summary = workbook.createSheet(ReportWorkbook.SUMMARY);
		Row titleRow = summary.createRow(0);
		titleRow.setHeightInPoints(26);
		for (int c = 0; c < 7; c++) {
			titleRow.createCell(c).setCellStyle(title);
		}
		titleRow.getCell(0).setCellValue("ChatVault compliance report");
		summary.addMergedRegion(new CellRangeAddress(0, 0, 0, 6));
		String[] labels = { "Period", "Report", "Generated", "Figures" };
		for (int i = 0; i < labels.length; i++) {
			Row row = summary.createRow(2 + i);
			row.createCell(0).setCellValue(labels[i]);
			row.getCell(0).setCellStyle(label);
			row.createCell(1).setCellValue("");
		}
		Row kpiHeader = summary.createRow(ReportWorkbook.KPI_FIRST_ROW - 1);
		String[] kpiColumns = { "Area", "KPI", "Value", "Unit", "Target", "Status", "Note" };
		for (int c = 0; c < kpiColumns.length; c++) {
			kpiHeader.createCell(c).setCellValue(kpiColumns[c]);
			kpiHeader.getCell(c).setCellStyle(header);
		}
		Row prototype = summary.createRow(ReportWorkbook.KPI_FIRST_ROW);
		CellStyle[] kpiStyles = { text, text, number, text, text, status, text };
		for (int c = 0; c < kpiStyles.length; c++) {
			prototype.createCell(c).setCellStyle(kpiStyles[c]);
		}
		int[] widths = { 12, 48, 14, 8, 12, 10, 70 };
		for (int c = 0; c < widths.length; c++) {
			summary.setColumnWidth(c, widths[c] * 256);
		}
		summary.createFreezePane(0, ReportWorkbook.KPI_FIRST_ROW);
		printable(summary);
		statusColours(summary.getSheetConditionalFormatting(), "F" + (ReportWorkbook.KPI_FIRST_ROW + 1) + ":F500");

		// Daily: the charts' data, 31 days at most.
		XSSFSheet daily = workbook.createSheet(ReportWorkbook.DAILY);
		Row dailyHeader = daily.createRow(0);
		String[] dailyColumns = { "Day", "Records archived", "Capture latency p50 (ms)", "Capture latency p95 (ms)" };
		for (int c = 0; c < dailyColumns.length; c++) {
			dailyHeader.createCell(c).setCellValue(dailyColumns[c]);
			dailyHeader.getCell(c).setCellStyle(header);
			daily.setColumnWidth(c, 24 * 256);
		}
		for (int r = 1; r <= 31; r++) {
			Row row = daily.createRow(r);
			row.createCell(0).setCellValue("2025-01-" + String.format("%02d", r));
			row.getCell(0).setCellStyle(text);
			for (int c = 1; c < 4; c++) {
				row.createCell(c).setCellValue(0);
				row.getCell(c).setCellStyle(number);
			}
		}
		volumeChart(summary, daily);
		latencyChart(summary, daily);

		// Area: cloned once per area of the report.
		XSSFSheet area = workbook.createSheet(ReportWorkbook.AREA);
		Row areaTitle = area.createRow(0);
		areaTitle.setHeightInPoints(22);
		for (int c = 0; c < 6; c++) {
			areaTitle.createCell(c).setCellStyle(title);
		}
		areaTitle.getCell(0).setCellValue("Area");
		area.addMergedRegion(new CellRangeAddress(0, 0, 0, 5));
		Row areaHeader = area.createRow(2);
		String[] areaColumns = { "KPI", "Value", "Unit", "Target", "Status", "Note" };
		for (int c = 0; c < areaColumns.length; c++) {
			areaHeader.createCell(c).setCellValue(areaColumns[c]);
			areaHeader.getCell(c).setCellStyle(header);
		}
		Row values = area.createRow(3);
		CellStyle[] valueStyles = { text, number, date, dateTime };
		for (int c = 0; c < valueStyles.length; c++) {
			values.createCell(c).setCellStyle(valueStyles[c]);
		}
		area.createRow(5).createCell(0).setCellStyle(tableTitle);
		int[] areaWidths = { 48, 16, 16, 16, 14, 70, 14, 14, 14, 14 };
		for (int c = 0; c < areaWidths.length; c++) {
			area.setColumnWidth(c, areaWidths[c] * 256);
		}
		statusColours(area.getSheetConditionalFormatting(), "E4:E200");
		printable(area);
	}

	/** Landscape, one page wide: what a PDF or a printout of the report shows. */
	private static void printable(XSSFSheet sheet) {
		sheet.setFitToPage(true);
		sheet.setAutobreaks(true);
		sheet.getPrintSetup().setLandscape(true);
		sheet.getPrintSetup().setFitWidth((short) 1);
		sheet.getPrintSetup().setFitHeight((short) 0);
		sheet.getPrintSetup().setPaperSize(org.apache.poi.ss.usermodel.PrintSetup.A4_PAPERSIZE);
	}

	private static XSSFCellStyle bordered(XSSFWorkbook workbook) {
		XSSFCellStyle style = workbook.createCellStyle();
		style.setBorderBottom(BorderStyle.HAIR);
		style.setBottomBorderColor(IndexedColors.GREY_25_PERCENT.getIndex());
		style.setFillForegroundColor(PALE);
		style.setFillPattern(FillPatternType.NO_FILL);
		return style;
	}

	/** met green, missed red, finding amber: the reader sees the status at a glance. */
	private static void statusColours(SheetConditionalFormatting formatting, String range) {
		CellRangeAddress[] ranges = { CellRangeAddress.valueOf(range) };
		formatting.addConditionalFormatting(ranges, status(formatting, "met", IndexedColors.LIGHT_GREEN),
				status(formatting, "missed", IndexedColors.ROSE));
		formatting.addConditionalFormatting(ranges, status(formatting, "finding", IndexedColors.LIGHT_ORANGE));
	}

	private static ConditionalFormattingRule status(SheetConditionalFormatting formatting, String status,
			IndexedColors fill) {
		ConditionalFormattingRule rule = formatting.createConditionalFormattingRule(ComparisonOperator.EQUAL,
				"\"" + status + "\"");
		rule.createPatternFormatting().setFillBackgroundColor(fill.getIndex());
		rule.getPatternFormatting().setFillPattern(FillPatternType.SOLID_FOREGROUND.getCode());
		return rule;
	}

	private static void volumeChart(XSSFSheet summary, XSSFSheet daily) {
		XSSFDrawing drawing = summary.createDrawingPatriarch();
		XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 8, 1, 17, 19));
		chart.setTitleText("Records archived per day");
		chart.setTitleOverlay(false);
		XDDFCategoryAxis days = chart.createCategoryAxis(AxisPosition.BOTTOM);
		XDDFValueAxis records = chart.createValueAxis(AxisPosition.LEFT);
		XDDFBarChartData data = (XDDFBarChartData) chart.createData(ChartTypes.BAR, days, records);
		data.setBarDirection(BarDirection.COL);
		XDDFBarChartData.Series series = (XDDFBarChartData.Series) data.addSeries(categories(daily), values(daily, 1));
		series.setTitle("Records archived", null);
		series.setFillProperties(new XDDFSolidFillProperties(XDDFColor.from(NAVY_RGB)));
		chart.plot(data);
		gaps(chart);
	}

	private static void latencyChart(XSSFSheet summary, XSSFSheet daily) {
		XSSFDrawing drawing = summary.getDrawingPatriarch();
		XSSFChart chart = drawing.createChart(drawing.createAnchor(0, 0, 0, 0, 8, 20, 17, 38));
		chart.setTitleText("Capture latency per day (ms)");
		chart.setTitleOverlay(false);
		chart.getOrAddLegend().setPosition(LegendPosition.BOTTOM);
		XDDFCategoryAxis days = chart.createCategoryAxis(AxisPosition.BOTTOM);
		XDDFValueAxis latency = chart.createValueAxis(AxisPosition.LEFT);
		XDDFLineChartData data = (XDDFLineChartData) chart.createData(ChartTypes.LINE, days, latency);
		XDDFLineChartData.Series p50 = (XDDFLineChartData.Series) data.addSeries(categories(daily), values(daily, 2));
		p50.setTitle("p50", null);
		p50.setMarkerStyle(MarkerStyle.CIRCLE);
		XDDFLineChartData.Series p95 = (XDDFLineChartData.Series) data.addSeries(categories(daily), values(daily, 3));
		p95.setTitle("p95", null);
		p95.setMarkerStyle(MarkerStyle.TRIANGLE);
		p50.setLineProperties(line(NAVY_RGB));
		p95.setLineProperties(line(new byte[] { (byte) 0xC0, (byte) 0x50, (byte) 0x4D }));
		p50.setSmooth(false);
		p95.setSmooth(false);
		chart.plot(data);
		gaps(chart);
	}

	private static XDDFLineProperties line(byte[] rgb) {
		XDDFLineProperties line = new XDDFLineProperties();
		line.setFillProperties(new XDDFSolidFillProperties(XDDFColor.from(rgb)));
		line.setWidth(2.0);
		return line;
	}

	/** A day without a figure is a gap in the chart, never a zero. */
	private static void gaps(XSSFChart chart) {
		var blanks = chart.getCTChart().isSetDispBlanksAs() ? chart.getCTChart().getDispBlanksAs()
				: chart.getCTChart().addNewDispBlanksAs();
		blanks.setVal(org.openxmlformats.schemas.drawingml.x2006.chart.STDispBlanksAs.GAP);
	}

	private static XDDFDataSource<String> categories(XSSFSheet daily) {
		return XDDFDataSourcesFactory.fromStringCellRange(daily, new CellRangeAddress(1, 31, 0, 0));
	}

	private static XDDFNumericalDataSource<Double> values(XSSFSheet daily, int column) {
		return XDDFDataSourcesFactory.fromNumericCellRange(daily, new CellRangeAddress(1, 31, column, column));
	}

}
