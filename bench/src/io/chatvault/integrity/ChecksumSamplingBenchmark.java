package io.chatvault.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.migration.GeneratedWhatsAppExport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verification throughput of {@code checksum-sampling} (issue 11's figures): an archive of
 * a generated text-only WhatsApp export of {@code bench.messages} messages (default
 * 300,000) and a zip of {@code bench.media-messages} (default 300,000) with the migration
 * benchmark's media mix is migrated on the embedded default (filesystem primary and
 * replica under a fresh {@code CHATVAULT_HOME}), then a full pass
 * ({@code full=true}: every item of every kind read from the primary and checked to
 * content depth) and a day's sample are run through the command line. Reported: bytes and
 * records checked, wall seconds, MB/s and records/s from {@code integrity_run}, and the
 * JVM's CPU seconds (the load-independent figure on a shared machine), with the load
 * average before and after. Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=ChecksumSamplingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * ./mvnw -B -o -Pbench test -Dtest=ChecksumSamplingS3Benchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The table goes to the console and to target/bench/checksum-sampling-&lt;store&gt;.md.
 */
@SpringBootTest
class ChecksumSamplingBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 300_000);

	static final int MEDIA_MESSAGES = Integer.getInteger("bench.media-messages", 300_000);

	static final GeneratedWhatsAppExport.MediaMix MIX = new GeneratedWhatsAppExport.MediaMix(0.40, 0.35, 0.20, 0.05);

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/checksum-sampling"))
		.toAbsolutePath();

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		deleteTree(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.migration.progress", () -> "false");
	}

	@Autowired
	CommandDispatcher dispatcher;

	@Autowired
	JdbcTemplate jdbc;

	String store() {
		return "filesystem";
	}

	@Test
	void verificationThroughput() throws IOException {
		Path text = Files.createDirectories(HOME.resolve("exports/text")).resolve("WhatsApp Chat with Bench.txt");
		GeneratedWhatsAppExport.writeText(text, MESSAGES, 42);
		Path media = Files.createDirectories(HOME.resolve("exports/media")).resolve("chat-media.zip");
		GeneratedWhatsAppExport.writeZip(media, "Bench Media", MEDIA_MESSAGES, 7, MIX);
		assertThat(command("migrate", text.toString(), "custodian=alice@example.com").exitCode())
			.isEqualTo(ExitCode.COMPLETED);
		assertThat(command("migrate", media.toString(), "custodian=bob@example.com").exitCode())
			.isEqualTo(ExitCode.COMPLETED);
		this.jdbc.execute("VACUUM ANALYZE");

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		String full = measure("full pass", "day=" + today, "full=true");
		String sample = measure("daily sample", "day=" + today.minusDays(1));

		StringBuilder out = new StringBuilder();
		out.append("| store | run | items | records | MB read | wall s | MB/s | records/s | JVM CPU s | MB per CPU s | "
				+ "load before / after |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
		out.append(full).append('\n').append(sample).append('\n');
		System.out.println(out);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/checksum-sampling-" + store() + ".md"), LocalDate.now() + "\n\n" + out);
	}

	private String measure(String name, String... parameters) {
		String loadBefore = loadAverage();
		long cpu0 = processCpuNanos();
		String[] line = Stream.concat(Stream.of("run", "checksum-sampling"), Stream.of(parameters))
			.toArray(String[]::new);
		Run run = command(line);
		double cpu = (processCpuNanos() - cpu0) / 1e9;
		System.out.println(run.output());
		assertThat(run.exitCode()).isEqualTo(ExitCode.COMPLETED);
		Map<String, Object> row = this.jdbc.queryForMap(
				"SELECT * FROM integrity_run WHERE day = ? AND full_pass = ?",
				java.sql.Date.valueOf(parameters[0].substring(4)), parameters.length > 1);
		double megabytes = ((Number) row.get("bytes_read")).longValue() / 1e6;
		return String.format("| %s | %s | %,d | %,d | %,.1f | %.1f | %.1f | %,.0f | %.1f | %.1f | %s / %s |", store(),
				name, ((Number) row.get("sampled")).longValue(), ((Number) row.get("records_sampled")).longValue(),
				megabytes, ((Number) row.get("seconds")).doubleValue(),
				((Number) row.get("mb_per_second")).doubleValue(),
				((Number) row.get("records_per_second")).doubleValue(), cpu, megabytes / cpu, loadBefore,
				loadAverage());
	}

	private Run command(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ExitCode code = this.dispatcher.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				System.err);
		return new Run(code, out.toString(StandardCharsets.UTF_8));
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				path.toFile().setWritable(true);
				Files.delete(path);
			}
		}
	}

	record Run(ExitCode exitCode, String output) {
	}

}
