package io.chatvault.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ops/} is generated from the catalogue of {@code src/main/resources/jobs}
 * (test-only jobs left out): this test fails while it is stale, and with
 * {@code -Dchatvault.ops.write=true} rewrites it.
 */
class SchedulerFilesTests {

	private static final Path CATALOGUE = Path.of("src/main/resources/jobs");

	private static final Path OPS = Path.of("ops");

	private static final List<Path> GENERATED_DIRECTORIES = List.of(OPS.resolve("kubernetes"), OPS.resolve("systemd"));

	@Test
	void opsIsGeneratedFromTheCatalogue() throws IOException {
		// given
		Map<String, String> expected = new SchedulerFiles(image()).render(catalogue());

		// when
		if (Boolean.getBoolean("chatvault.ops.write")) {
			write(expected);
		}

		// then
		for (Map.Entry<String, String> file : expected.entrySet()) {
			Path path = OPS.resolve(file.getKey());
			assertThat(path).as("ops/%s is missing: regenerate it (ops/README.md)", file.getKey()).exists();
			assertThat(Files.readString(path, StandardCharsets.UTF_8))
				.as("ops/%s is stale: regenerate it (ops/README.md)", file.getKey())
				.isEqualTo(file.getValue());
		}
		assertThat(strays(expected)).as("files in ops/ that no catalogue entry generates").isEmpty();
	}

	@Test
	void everyManifestIsValidYamlThatRunsTheImage() {
		// given
		Map<String, String> files = new SchedulerFiles("chatvault:test").render(catalogue());

		// then
		files.entrySet().stream().filter((file) -> file.getKey().endsWith(".yaml")).forEach((file) -> {
			Object manifest = new Yaml(new SafeConstructor(new LoaderOptions())).load(file.getValue());
			assertThat(manifest).as(file.getKey()).isInstanceOf(Map.class);
			assertThat(file.getValue()).contains("image: chatvault:test")
				.contains("values: [1, 2, 3, 5, 7, 8, 9, 10, 11, 12]");
		});
		assertThat(files).containsKeys("kubernetes/chatvault-migration.yaml", "systemd/chatvault-migration.service",
				"cron/crontab", "README.md");
	}

	@Test
	void aScheduledJobGetsACronJobATimerAndACrontabLine() throws IOException {
		// given
		Path file = Files.createTempDirectory("catalogue").resolve("sampling.yaml");
		Files.writeString(file, """
				name: sampling
				description: samples
				schedules: [ { cadence: daily, at: "02:30" } ]
				parameters: { day: { type: day, default: current, description: the day } }
				exit-codes: { 0: intact }
				""");
		JobDescription job = JobCatalogFiles.read(new FileSystemResource(file));

		// when
		Map<String, String> files = new SchedulerFiles("chatvault:test").render(List.of(job));

		// then
		assertThat(files.get("kubernetes/chatvault-sampling.yaml")).contains("kind: CronJob")
			.contains("schedule: \"30 2 * * *\"")
			.contains("timeZone: Etc/UTC")
			.contains("args: [\"run\", \"sampling\"]")
			.contains("#   0: intact");
		assertThat(files.get("systemd/chatvault-sampling.timer")).contains("OnCalendar=*-*-* 02:30:00 UTC");
		assertThat(files.get("systemd/chatvault-sampling.service"))
			.contains("ExecStart=/opt/chatvault/chatvault run sampling");
		assertThat(files.get("cron/crontab")).contains("30 2 * * *").contains("chatvault run sampling >>");
	}

	private static List<JobDescription> catalogue() {
		try (Stream<Path> files = Files.list(CATALOGUE)) {
			return files.filter((path) -> path.toString().endsWith(".yaml"))
				.sorted()
				.map((path) -> JobCatalogFiles.read(new FileSystemResource(path)))
				.toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The image the build names (pom.xml, passed by Surefire), as the manifests must. */
	private static String image() {
		return System.getProperty("chatvault.image", "chatvault:0.1.0-SNAPSHOT");
	}

	private static void write(Map<String, String> files) throws IOException {
		for (Path stray : strays(files)) {
			Files.delete(stray);
		}
		for (Map.Entry<String, String> file : files.entrySet()) {
			Path path = OPS.resolve(file.getKey());
			Files.createDirectories(path.getParent());
			Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
		}
	}

	private static List<Path> strays(Map<String, String> files) throws IOException {
		List<Path> strays = new ArrayList<>();
		for (Path directory : GENERATED_DIRECTORIES) {
			if (!Files.isDirectory(directory)) {
				continue;
			}
			try (Stream<Path> present = Files.list(directory)) {
				present.filter((path) -> !files.containsKey(OPS.relativize(path).toString().replace('\\', '/')))
					.forEach(strays::add);
			}
		}
		return strays;
	}

}
