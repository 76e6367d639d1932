package io.chatvault.report;

import java.io.InputStream;
import java.nio.file.Files;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed template holds what {@link ReportWorkbook} fills: rewrite it from
 * {@link ComplianceTemplate} with {@code -Dchatvault.report.template.write=true}.
 */
class ComplianceTemplateTests {

	@Test
	void theCommittedTemplateHasTheSheetsChartsAndFormattingTheReportFills() throws Exception {
		if (Boolean.getBoolean("chatvault.report.template.write")) {
			ComplianceTemplate.write(ComplianceTemplate.FILE);
		}
		// given
		try (InputStream in = Files.newInputStream(ComplianceTemplate.FILE);
				XSSFWorkbook template = new XSSFWorkbook(in)) {
			// then
			assertThat(template.getSheetName(0)).isEqualTo(ReportWorkbook.SUMMARY);
			assertThat(template.getSheet(ReportWorkbook.DAILY)).isNotNull();
			assertThat(template.getSheet(ReportWorkbook.AREA)).isNotNull();
			assertThat(template.getSheet(ReportWorkbook.SUMMARY).getDrawingPatriarch().getCharts()).hasSize(2);
			assertThat(template.getSheet(ReportWorkbook.SUMMARY)
				.getSheetConditionalFormatting()
				.getNumConditionalFormattings()).isEqualTo(2);
			assertThat(template.getSheet(ReportWorkbook.SUMMARY)
				.getRow(ReportWorkbook.KPI_FIRST_ROW - 1)
				.getCell(5)
				.getStringCellValue()).isEqualTo("Status");
		}
	}

}
