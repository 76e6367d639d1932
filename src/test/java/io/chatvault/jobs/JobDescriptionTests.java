package io.chatvault.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.FileSystemResource;

import io.chatvault.cli.UsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class JobDescriptionTests {

	/** A Sunday night, the last minute of ISO week 2025-W09. */
	private static final Instant SUNDAY_NIGHT = Instant.parse("2025-03-02T23:59:30Z");

	@TempDir
	Path dir;

	@Test
	void aJobOfTwoPeriodsTakesTheOneGivenAndDerivesANamedOne() throws IOException {
		// given: a report by month (the default) or by week
		JobDescription job = job("report", """
				name: report
				description: monthly or weekly
				schedules:
				  - cadence: monthly
				  - cadence: weekly
				    parameters: { week: previous }
				parameters:
				  month: { type: month, default: previous, description: m }
				  week: { type: week, description: w }
				""");

		// when
		Map<String, String> monthly = job.complete(Map.of(), SUNDAY_NIGHT).parameters();
		Map<String, String> weekly = job.complete(Map.of("week", "previous"), SUNDAY_NIGHT).parameters();
		Map<String, String> given = job.complete(Map.of("week", "2025-W03"), SUNDAY_NIGHT).parameters();

		// then
		assertThat(monthly).containsExactly(Map.entry("month", "2025-02"));
		assertThat(weekly).containsExactly(Map.entry("week", "2025-W08"));
		assertThat(given).containsExactly(Map.entry("week", "2025-W03"));
		assertThat(job.schedules().get(1).unitName(job)).isEqualTo("chatvault-report-weekly");
	}

	@Test
	void missingPeriodsAreDerivedFromTheClockInUtc() throws IOException {
		// given
		JobDescription job = job("periods", """
				name: periods
				description: every kind of period
				schedules:
				  - cadence: 15m
				parameters:
				  day: { type: day, default: current, description: d }
				  yesterday: { type: day, default: previous, description: d }
				  week: { type: week, default: current, description: w }
				  month: { type: month, default: previous, description: m }
				  quarter: { type: quarter, default: current, description: q }
				  half: { type: half, default: current, description: h }
				  hour: { type: hour, default: current, description: h }
				  window: { type: window-end, default: current, description: w }
				""");

		// when
		JobDescription.Completion completion = job.complete(Map.of(), SUNDAY_NIGHT);

		// then
		assertThat(completion.parameters()).containsEntry("day", "2025-03-02")
			.containsEntry("yesterday", "2025-03-01")
			.containsEntry("week", "2025-W09")
			.containsEntry("month", "2025-02")
			.containsEntry("quarter", "2025-Q1")
			.containsEntry("half", "2025-H1")
			.containsEntry("hour", "2025-03-02T23")
			.containsEntry("window", "2025-03-02T23:45:00Z");
		assertThat(completion.derived()).isEqualTo(completion.parameters());
	}

	@Test
	void givenParametersWinAndAreChecked() throws IOException {
		// given
		JobDescription job = job("checksum", """
				name: checksum
				description: samples
				schedules: [ { cadence: daily, at: "02:30" } ]
				parameters:
				  day: { type: day, default: current, description: the day }
				  source: { type: path, required: true, description: where }
				exit-codes: { 0: intact, 9: repaired }
				thresholds: { sample-fraction: 0.005 }
				""");

		// when
		JobDescription.Completion given = job.complete(Map.of("day", "2024-12-31", "source", "x"), SUNDAY_NIGHT);
		JobDescription.Completion derived = job.complete(Map.of("source", "x"), SUNDAY_NIGHT);

		// then
		assertThat(given.parameters()).containsEntry("day", "2024-12-31");
		assertThat(given.derived()).isEmpty();
		assertThat(derived.derived()).containsExactlyEntriesOf(Map.of("day", "2025-03-02"));
		assertThat(job.thresholds()).containsEntry("sample-fraction", 0.005);
		assertThat(job.exitCodes()).containsEntry(9, "repaired");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> job.complete(Map.of("source", "x", "day", "2025-02-30"), SUNDAY_NIGHT))
			.withMessage("invalid parameters for job checksum: day must be a day YYYY-MM-DD, not '2025-02-30'");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> job.complete(Map.of(), SUNDAY_NIGHT))
			.withMessage("invalid parameters for job checksum: source= is required: where");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> job.complete(Map.of("source", "x", "dya", "2025-01-01"), SUNDAY_NIGHT))
			.withMessage("invalid parameters for job checksum: unknown parameter 'dya' (its parameters: day, source)");
	}

	@Test
	void theWindowComesFromTheScheduleOfTheRun() throws IOException {
		// given
		JobDescription job = job("sync", """
				name: sync
				description: moves the inbox into the vault
				schedules:
				  - { cadence: 15m, parameters: { group: realtime } }
				  - { cadence: 6h, parameters: { group: bulk } }
				parameters:
				  group: { type: string, required: true, description: custodian group }
				  window-end: { type: window-end, default: current, description: end of the window }
				""");

		// when
		Map<String, String> realtime = job.complete(Map.of("group", "realtime"), SUNDAY_NIGHT).parameters();
		Map<String, String> bulk = job.complete(Map.of("group", "bulk"), SUNDAY_NIGHT).parameters();

		// then
		assertThat(realtime).containsEntry("window-end", "2025-03-02T23:45:00Z");
		assertThat(bulk).containsEntry("window-end", "2025-03-02T18:00:00Z");
		assertThat(job.schedules().get(0).unitName(job)).isEqualTo("chatvault-sync-realtime");
		assertThat(job.schedules().get(1).arguments(job)).containsExactly("run", "sync", "group=bulk");
	}

	@Test
	void mistakesInAFileNameTheFileAndTheKey() throws IOException {
		assertThatIllegalStateException().isThrownBy(() -> job("a", "name: a\ndescription: x\ncadense: daily\n"))
			.withMessageStartingWith("jobs/a.yaml: cadense: unknown key (known: ");
		assertThatIllegalStateException()
			.isThrownBy(() -> job("b", "name: b\ndescription: x\nparameters: { day: { type: dya, description: d } }\n"))
			.withMessageStartingWith("jobs/b.yaml: parameters.day.type: unknown type 'dya'");
		assertThatIllegalStateException()
			.isThrownBy(() -> job("c",
					"name: c\ndescription: x\nparameters: { s: { type: string, default: current, "
							+ "description: d } }\n"))
			.withMessageStartingWith("jobs/c.yaml: parameters.s.default: only a period");
		assertThatIllegalStateException().isThrownBy(() -> job("d", "name: d\ndescription: x\nexit-codes: { 13: y }\n"))
			.withMessage("jobs/d.yaml: exit-codes.13: not one of ChatVault's exit codes (0-12)");
		assertThatIllegalStateException().isThrownBy(() -> job("e", "name: f\ndescription: x\n"))
			.withMessage("jobs/e.yaml: the file of job f must be named f.yaml");
		assertThatIllegalStateException()
			.isThrownBy(() -> job("g", "name: g\ndescription: x\nschedules: [ { cadence: 15m, at: \"02:00\" } ]\n"))
			.withMessage("jobs/g.yaml: schedules[0].at: a 15m cadence has no time of day");
		assertThatIllegalStateException()
			.isThrownBy(() -> job("h",
					"name: h\ndescription: x\nschedules: [ { cadence: weekly } ]\n"
							+ "parameters: { w: { type: window-end, default: current, description: d } }\n"))
			.withMessageStartingWith("jobs/h.yaml: schedules: a derived window-end needs");
	}

	@Test
	void theCatalogueOnTheClassPathLoads() {
		// when
		Map<String, JobDescription> catalogue = JobCatalogFiles.load();

		// then
		assertThat(catalogue).containsKeys("migration", "test-items");
		assertThat(catalogue.get("migration").parameter("source")).hasValueSatisfying((source) -> {
			assertThat(source.required()).isTrue();
			assertThat(source.type()).isEqualTo(ParameterType.PATH);
		});
	}

	private JobDescription job(String name, String yaml) throws IOException {
		Path file = this.dir.resolve(name + ".yaml");
		Files.writeString(file, yaml);
		return JobCatalogFiles.read(new FileSystemResource(file));
	}

}
