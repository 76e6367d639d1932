package io.chatvault.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatvault.access.AccessFixture;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 3: the workbook opens in LibreOffice (Debian's libreoffice-calc, headless,
 * installed by {@code ops/dev/libreoffice.sh} when missing): converted to PDF without an
 * error, its first page (the summary sheet) rendered to PNG by pdftoppm. Skipped, saying
 * why, where LibreOffice cannot be installed. {@code -Dchatvault.report.picture=<png>}
 * copies the picture (docs/reports-summary.png is made this way).
 */
class ReportRenderingIntegrationTests {

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
	void theWorkbookOpensInLibreOfficeAndItsSummaryRendersToAPicture() throws Exception {
		// given
		String missing = libreOffice();
		Assumptions.assumeTrue(missing == null, () -> "LibreOffice is not available: " + missing);
		Path workbook = home.resolve("render").resolve("report-2025-03.xlsx");
		Files.createDirectories(workbook.getParent());
		AccessFixture.Cli run = fixture.cli(null, "report", "month=2025-03", "--to-file", workbook.toString());
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);

		// when
		Result pdf = exec(workbook.getParent(), "soffice", "-env:UserInstallation=file://" + home.resolve("lo-profile"),
				"--headless", "--norestore", "--convert-to", "pdf", "--outdir", workbook.getParent().toString(),
				workbook.toString());
		Result png = exec(workbook.getParent(), "pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
				workbook.getParent().resolve("report-2025-03.pdf").toString(),
				workbook.getParent().resolve("summary").toString());

		// then
		assertThat(pdf.code()).as(pdf.output()).isZero();
		assertThat(pdf.output()).doesNotContainIgnoringCase("error");
		byte[] document = Files.readAllBytes(workbook.getParent().resolve("report-2025-03.pdf"));
		assertThat(new String(document, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
		assertThat(png.code()).as(png.output()).isZero();
		Path picture = workbook.getParent().resolve("summary.png");
		assertThat(Files.size(picture)).isGreaterThan(10_000);
		String copy = System.getProperty("chatvault.report.picture");
		if (copy != null) {
			Files.copy(picture, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * Null when soffice and pdftoppm are there (installed now if need be), else why not.
	 */
	private static String libreOffice() throws IOException, InterruptedException {
		if (onPath("soffice") && onPath("pdftoppm")) {
			return null;
		}
		Result install = exec(Path.of("."), "bash", "ops/dev/libreoffice.sh", "install");
		if (install.code() != 0) {
			return "ops/dev/libreoffice.sh install failed (exit " + install.code() + "): " + install.output().strip();
		}
		return (onPath("soffice") && onPath("pdftoppm")) ? null : "soffice or pdftoppm still not on the PATH";
	}

	private static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

	private static Result exec(Path dir, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
			.redirectErrorStream(true)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			return new Result(-1, "timed out");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Result(int code, String output) {
	}

}
