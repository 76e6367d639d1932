package io.chatvault.report;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 2: the figures in the workbook equal those computed from seeded job data
 * (read back with POI), and a period in which a job never ran shows a finding, never a
 * zero. The workbook goes to a file here ({@code to-file}); the mail is
 * {@code ReportMailIntegrationTests}.
 */
class ComplianceReportIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	@BeforeAll
	static void seed() {
		fixture = AccessFixture.start(home);
		ReportSeed.march(fixture);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void theWorkbookHoldsTheFiguresOfTheSeededMonthAndFindingsForJobsThatDidNotRun() throws Exception {
		// given
		Path file = home.resolve("march.xlsx");

		// when
		AccessFixture.Cli run = fixture.cli(null, "report", "month=2025-03", "--to-file", file.toString());

		// then
		assertThat(run.code()).as(run.err() + run.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
			Sheet summary = workbook.getSheet("Summary");
			assertThat(summary.getRow(2).getCell(1).getStringCellValue()).isEqualTo("March 2025");
			Map<String, Row> kpis = kpis(summary);
			assertValue(kpis, "capture", "records archived", ReportSeed.RECORDS, "info");
			assertValue(kpis, "capture", "messages archived", ReportSeed.MESSAGES, "info");
			assertValue(kpis, "capture", "custodians with traffic", 75, "missed");
			assertValue(kpis, "capture", "platforms with traffic", 100, "met");
			assertValue(kpis, "sync", "sync windows completed", 80.645, "missed");
			assertValue(kpis, "sync", "windows reconciled (read = archived + duplicates + quarantined)", 100, "met");
			assertValue(kpis, "sync", "capture latency p50", 410, "met");
			assertValue(kpis, "sync", "capture latency max", 4000, "info");
			assertValue(kpis, "access", "principals covered by the permission audit", 100, "met");
			assertValue(kpis, "access", "high-severity access findings", 1, "missed");
			assertValue(kpis, "access", "abnormal access (principal-days over the limit)", 1, "info");
			assertValue(kpis, "access", "custodians with signed consent", 75, "missed");
			assertValue(kpis, "audit", "job runs in the audit log", 50, "missed");
			assertValue(kpis, "quarantine", "records quarantined", 2, "info");
			assertValue(kpis, "jobs", "failed runs restarted successfully", 100, "met");
			assertValue(kpis, "jobs", "time from failure to successful restart (mean)", 2, "met");
			assertValue(kpis, "integrity", "days sampled", 64.516, "missed");
			assertValue(kpis, "integrity", "verification completion (checksum sampling)", 100, "met");
			assertValue(kpis, "integrity", "damaged objects", 2, "info");
			assertValue(kpis, "integrity", "erased items", 10, "info");
			assertValue(kpis, "integrity", "time to repair (mean)", 15, "met");
			assertValue(kpis, "retention", "days with a disposition run", 100, "met");
			assertValue(kpis, "retention", "records disposed of", 2, "info");
			assertValue(kpis, "retention", "legal holds live at the end of the period", 1, "info");
			assertValue(kpis, "retention", "held records disposed of", 1, "missed");
			assertValue(kpis, "keys", "age of the key-encryption key", 39, "met");
			assertValue(kpis, "keys", "data keys re-wrapped by the latest rotation", 1234, "info");
			assertValue(kpis, "search", "regulator drill recall (lowest request)", 75, "missed");
			assertValue(kpis, "search", "regulator drill requests passed", 50, "missed");
			assertValue(kpis, "search", "regulator drill time to the complete result (slowest)", 6.5, "missed");
			assertValue(kpis, "search", "records erased in the drill's scope (largest request)", 30, "info");
			assertThat(kpis.get("search/regulator drill recall (lowest request)").getCell(4).getStringCellValue())
				.isEqualTo("≥ 99.9%");
			// never a zero for what did not run
			assertFinding(kpis, "restore", "restore drills succeeded",
					"job restore-drill did not complete a drill in the 92 days before the end of 2025-03");
			assertFinding(kpis, "jobs", "job audit-anchor ran", "job audit-anchor did not run in 2025-03");
			assertFinding(kpis, "audit", "days with an audit anchor", "job audit-anchor did not run in 2025-03");
			assertThat(kpis).doesNotContainKey("jobs/job hr-sync ran")
				.doesNotContainKey("jobs/job sync ran")
				.doesNotContainKey("jobs/job checksum-sampling ran");

			Sheet daily = workbook.getSheet("Daily");
			assertThat(daily.getRow(15).getCell(0).getStringCellValue()).isEqualTo("2025-03-15");
			assertThat(daily.getRow(15).getCell(1).getNumericCellValue()).isEqualTo(ReportSeed.RECORDS_ON_THE_15TH);
			// the four windows ending on the 15th (06:00 to midnight), one with p50 1400
			// ms
			assertThat(daily.getRow(15).getCell(2).getNumericCellValue()).isEqualTo((3 * 400 + 1400) / 4);
			assertThat(daily.getRow(31).getCell(0).getStringCellValue()).isEqualTo("2025-03-31");
			assertThat(workbook.getSheet("Summary").getDrawingPatriarch().getCharts()).hasSize(2);

			Sheet detail = workbook.getSheet("Volume detail");
			double records = 0;
			for (int r = 1; r <= detail.getLastRowNum(); r++) {
				records += detail.getRow(r).getCell(4).getNumericCellValue();
			}
			assertThat(records).isEqualTo(ReportSeed.RECORDS);
			assertThat(workbook.getSheet("Sync windows").getLastRowNum()).isEqualTo(ReportSeed.WINDOWS);
			assertThat(workbook.getSheet("Quarantine detail").getLastRowNum()).isEqualTo(2);
			assertThat(workbook.getSheet("Capture")).isNotNull();
			assertThat(workbook.getSheet("Integrity").getRow(3).getCell(0).getStringCellValue())
				.isEqualTo("days sampled");
			assertThat(workbook.getSheet("Area")).isNull();
		}
		// the workbook delivered is the one stored, and its SHA-256 is in the audit log
		Map<String, Object> delivery = fixture.jdbc.queryForMap("SELECT * FROM report_delivery");
		String sha256 = HexFormat.of().formatHex(Sha256.digest().digest(Files.readAllBytes(file)));
		assertThat(delivery).containsEntry("state", "SENT").containsEntry("sha256", sha256);
		try (InputStream stored = fixture.context.getBean(ObjectStore.class)
			.get((String) delivery.get("object_key"))
			.orElseThrow()) {
			assertThat(HexFormat.of().formatHex(Sha256.digest().digest(stored.readAllBytes()))).isEqualTo(sha256);
		}
		assertThat(fixture.jdbc.queryForList(
				"SELECT details::jsonb->>'sha256' FROM audit_entry WHERE action = 'report.store'", String.class))
			.containsExactly(sha256);
		// the same report again is already complete, and changes nothing
		AccessFixture.Cli again = fixture.cli(null, "report", "month=2025-03", "--to-file", file.toString());
		assertThat(again.out()).contains("already complete");
		assertThat(fixture.jdbc.queryForObject("SELECT count(*) FROM report_delivery", Long.class)).isEqualTo(1);

		// and: a month with neither a key rotation within 92 days nor a regulator drill
		// within 184 days before its end says so
		Path november = home.resolve("november.xlsx");
		AccessFixture.Cli earlier = fixture.cli(null, "report", "month=2024-11", "--to-file", november.toString());
		assertThat(earlier.code()).as(earlier.err() + earlier.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		try (InputStream in = Files.newInputStream(november); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
			Map<String, Row> kpis = kpis(workbook.getSheet("Summary"));
			assertFinding(kpis, "keys", "age of the key-encryption key",
					"job key-rotation did not complete a rotation in the 92 days before the end of 2024-11");
			assertFinding(kpis, "search", "regulator drill recall (lowest request)",
					"job regulator-drill did not complete a drill in the 184 days before the end of 2024-11");
			assertFinding(kpis, "search", "regulator drill requests passed", null);
			assertThat(kpis).doesNotContainKey("keys/data keys re-wrapped by the latest rotation");
		}
	}

	@Test
	void theWeeklyReportIsShorterAndSaysTheWeeklyReviewDidNotRun() throws Exception {
		// given
		Path file = home.resolve("w11.xlsx");

		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "compliance-report", "week=2025-W11", "to-file=" + file);

		// then
		assertThat(run.code()).as(run.err() + run.out()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		try (InputStream in = Files.newInputStream(file); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
			Map<String, Row> kpis = kpis(workbook.getSheet("Summary"));
			assertFinding(kpis, "access", "high-severity access findings",
					"job access-review did not run for 2025-W11");
			assertThat(kpis).doesNotContainKey("access/principals covered by the permission audit");
			assertThat(workbook.getSheet("Migration")).isNull();
			assertThat(workbook.getSheet("Daily").getRow(7).getCell(0).getStringCellValue()).isEqualTo("2025-03-16");
			// ann: 10 a day; ben: 5 on the 10th (his edits fall in week 10); cat: 100 on
			// the 15th
			assertValue(kpis, "capture", "records archived", 7 * 10 + 5 + 100, "info");
		}
	}

	@Test
	void aPeriodThatHasNotEndedIsRefused() {
		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "compliance-report", "month=2025-04");

		// then
		assertThat(run.code()).isEqualTo(ExitCode.USAGE);
		assertThat(run.err()).contains("month=2025-04 has not ended yet");
	}

	static Map<String, Row> kpis(Sheet summary) {
		Map<String, Row> kpis = new HashMap<>();
		for (int r = ReportWorkbook.KPI_FIRST_ROW; r <= summary.getLastRowNum(); r++) {
			Row row = summary.getRow(r);
			if (row != null && row.getCell(1) != null) {
				kpis.put(row.getCell(0).getStringCellValue() + "/" + row.getCell(1).getStringCellValue(), row);
			}
		}
		return kpis;
	}

	static void assertValue(Map<String, Row> kpis, String area, String name, double value, String status) {
		Row row = kpis.get(area + "/" + name);
		assertThat(row).as(area + "/" + name + " in " + kpis.keySet()).isNotNull();
		Cell cell = row.getCell(2);
		assertThat(cell.getCellType()).as(name).isEqualTo(CellType.NUMERIC);
		assertThat(cell.getNumericCellValue()).as(name).isEqualTo(value);
		assertThat(row.getCell(5).getStringCellValue()).as(name).isEqualTo(status);
	}

	static void assertFinding(Map<String, Row> kpis, String area, String name, String note) {
		Row row = kpis.get(area + "/" + name);
		assertThat(row).as(area + "/" + name + " in " + kpis.keySet()).isNotNull();
		assertThat(row.getCell(2).getStringCellValue()).as(name).isEqualTo("missing");
		assertThat(row.getCell(5).getStringCellValue()).as(name).isEqualTo("finding");
		if (note != null) {
			assertThat(row.getCell(6).getStringCellValue()).as(name).startsWith(note);
		}
	}

	static List<String> lines(String text) {
		return List.of(text.split("\n"));
	}

}
