package io.chatvault.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the vault stores per export byte and per record (issue 10's figures), through the
 * real migration on the embedded default (filesystem primary and replica under a fresh
 * {@code CHATVAULT_HOME}):
 * <ol>
 * <li>a generated text-only WhatsApp export of {@code bench.messages} messages (default
 * 300,000): bytes in the primary store divided by the export's bytes (originals
 * included), and PostgreSQL bytes per record (every {@code vault_%} table with its
 * indexes and TOAST, {@code pg_total_relation_size}), with the keyed search tokens
 * ({@code vault_message.tokens}, {@code pg_column_size}, and their GIN index) counted
 * apart, so that the vault's index stays comparable with its figures before the tokens
 * moved into it;</li>
 * <li>a later export of the same chat holding the first plus 10% new messages: the bytes
 * it stores again, as a share of the first import's;</li>
 * <li>the same figures for a zip with the migration benchmark's media mix (40% text, 35%
 * images, 20% video, 5% voice notes by volume).</li>
 * </ol>
 * Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=StorageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The table goes to the console and to target/bench/storage.md.
 */
@SpringBootTest
class StorageBenchmark {

	static final int MESSAGES = Integer.getInteger("bench.messages", 300_000);

	static final Path HOME = Path.of(System.getProperty("bench.home", "target/bench/storage")).toAbsolutePath();

	/** The search tokens' entry among the table sizes. */
	static final String SEARCH_TOKENS = "search tokens (vault_message.tokens, GIN)";

	@DynamicPropertySource
	static void embeddedDefault(DynamicPropertyRegistry registry) throws IOException {
		MigrationBenchmark.deleteTree(HOME);
		Files.createDirectories(HOME);
		registry.add("chatvault.home", HOME::toString);
		registry.add("chatvault.migration.progress", () -> "false");
	}

	@Autowired
	ObjectProvider<MigrateCommand> migrate;

	@Autowired
	JdbcClient jdbc;

	@Test
	void storedBytesPerExportByteAndPerRecord() throws Exception {
		List<String> rows = new ArrayList<>();
		// 1. text only
		Path first = Files.createDirectories(HOME.resolve("exports/first")).resolve("WhatsApp Chat with Bench.txt");
		GeneratedWhatsAppExport.writeText(first, MESSAGES, 42);
		Figures text = migrate(first, "alice@example.com");
		rows.add(row("text-only WhatsApp .txt", text));

		// 2. a later export of the same chat: the first plus 10%
		Path later = Files.createDirectories(HOME.resolve("exports/later")).resolve("WhatsApp Chat with Bench.txt");
		GeneratedWhatsAppExport.writeText(later, MESSAGES + MESSAGES / 10, 42);
		Figures again = migrate(later, "alice@example.com");
		rows.add(row("later export (first + 10%)", again));
		double laterShare = (double) again.storedBytes() / text.storedBytes();

		// 3. media mix
		Path zip = Files.createDirectories(HOME.resolve("exports/media")).resolve("chat-media.zip");
		GeneratedWhatsAppExport.writeZip(zip, "Bench Media", MESSAGES, 7, MigrationBenchmark.MIX);
		Figures media = migrate(zip, "bob@example.com");
		rows.add(row("WhatsApp .zip, media mix", media));

		Map<String, Long> tables = tableSizes();
		long records = this.jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
		StringBuilder out = new StringBuilder();
		out.append(String.format(
				"| export | messages | export bytes | stored bytes (primary) | stored / export | PostgreSQL bytes per new record, without search tokens | search tokens and their GIN per new record | seconds |%n"));
		out.append("|---|---|---|---|---|---|---|---|\n");
		rows.forEach((row) -> out.append(row).append('\n'));
		out.append(String.format("%nlater export stored %.1f%% of the first import's bytes%n", 100 * laterShare));
		out.append(String.format("%nPostgreSQL after all three (%,d records):%n", records));
		tables.forEach((table, bytes) -> out.append(String.format("  %-28s %,14d bytes  %6.1f per record%n", table,
				bytes, (double) bytes / records)));
		System.out.println(out);
		Files.createDirectories(Path.of("target/bench"));
		Files.writeString(Path.of("target/bench/storage.md"), LocalDate.now() + "\n\n" + out);
	}

	private Figures migrate(Path export, String custodian) throws IOException {
		long before = MigrationBenchmark.size(HOME.resolve("objects"));
		long recordsBefore = this.jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
		Map<String, Long> sizesBefore = tableSizes();
		long searchBefore = sizesBefore.remove(SEARCH_TOKENS);
		long databaseBefore = sizesBefore.values().stream().mapToLong(Long::longValue).sum();
		long t0 = System.nanoTime();
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ExitCode exit = CommandDispatcher.execute(this.migrate.getObject(),
				new PrintStream(output, true, StandardCharsets.UTF_8), export.toString(), "custodian=" + custodian);
		double seconds = (System.nanoTime() - t0) / 1e9;
		System.out.println(output.toString(StandardCharsets.UTF_8));
		assertThat(exit).isEqualTo(ExitCode.COMPLETED);
		long stored = MigrationBenchmark.size(HOME.resolve("objects")) - before;
		long records = this.jdbc.sql("SELECT count(*) FROM vault_message").query(Long.class).single();
		Map<String, Long> sizes = tableSizes();
		long search = sizes.remove(SEARCH_TOKENS) - searchBefore;
		long database = sizes.values().stream().mapToLong(Long::longValue).sum() - databaseBefore;
		long added = records - recordsBefore;
		return new Figures(added, Files.size(export), stored, (added > 0) ? (double) database / added : 0,
				(added > 0) ? (double) search / added : 0, seconds);
	}

	/**
	 * Bytes of every {@code vault%} table with its indexes and TOAST; the search tokens
	 * (their column's bytes and their GIN index) under {@link #SEARCH_TOKENS}, taken out
	 * of {@code vault_message}'s.
	 */
	private Map<String, Long> tableSizes() {
		Map<String, Long> sizes = new LinkedHashMap<>();
		this.jdbc.sql("VACUUM ANALYZE").update();
		this.jdbc
			.sql("SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r' "
					+ "AND relname LIKE 'vault%' ORDER BY 2 DESC")
			.query((rs) -> {
				sizes.put(rs.getString(1), rs.getLong(2));
			});
		long search = this.jdbc
			.sql("SELECT coalesce(sum(pg_column_size(tokens)), 0) + pg_relation_size('vault_message_tokens') "
					+ "FROM vault_message")
			.query(Long.class)
			.single();
		sizes.merge("vault_message", -search, Long::sum);
		sizes.put(SEARCH_TOKENS, search);
		return sizes;
	}

	private static String row(String name, Figures figures) {
		return String.format("| %s | %,d | %,d | %,d | %.2f | %.0f | %.0f | %.1f |", name, figures.records(),
				figures.exportBytes(), figures.storedBytes(), (double) figures.storedBytes() / figures.exportBytes(),
				figures.databaseBytesPerRecord(), figures.searchBytesPerRecord(), figures.seconds());
	}

	record Figures(long records, long exportBytes, long storedBytes, double databaseBytesPerRecord,
			double searchBytesPerRecord, double seconds) {
	}

}
