package io.chatvault.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.slack.SlackExportSource;
import io.chatvault.source.teams.TeamsGraphSource;
import io.chatvault.source.whatsapp.WhatsAppExportSource;
import io.chatvault.source.whatsappcloud.WhatsAppCloudSource;
import io.chatvault.testsupport.ExportMutator;
import io.chatvault.testsupport.ForgedZip;
import io.chatvault.testsupport.GeneratedExports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A seeded fuzz run over the structure of zip exports (headers, sizes, names, CRCs,
 * methods, offsets, cuts) and over WhatsApp, Slack, Teams and Cloud API text (line
 * endings, years, duplicated JSON keys, cuts, repeated lines, NUL, UTF-16): no exception
 * escapes a reader; an input either cannot be opened (an {@link IOException}, which the
 * migration turns into a whole-file quarantine) or yields only records and quarantined
 * records with a reason and their raw bytes.
 *
 * <p>
 * The suite runs {@value #DEFAULT_CASES} cases with seed {@value #DEFAULT_SEED}; a larger
 * run: {@code -Dchatvault.fuzz.cases=20000 -Dchatvault.fuzz.seed=<any>}. A failure names
 * the case's seed and the mutations applied, so it can be replayed.
 */
class ExportFuzzTests {

	static final int DEFAULT_CASES = 300;

	static final long DEFAULT_SEED = 20261130L;

	static final int CASES = Integer.getInteger("chatvault.fuzz.cases", DEFAULT_CASES);

	static final long SEED = Long.getLong("chatvault.fuzz.seed", DEFAULT_SEED);

	@TempDir
	Path dir;

	@Test
	void mutatedExportsNeverThrowAndYieldOnlyRecordsOrQuarantine() throws IOException {
		// given
		byte[] whatsAppZip = whatsAppZip();
		byte[] slackZip = GeneratedExports.slackZip("fuzz", 12);
		byte[] whatsAppText = GeneratedExports.whatsAppText("fuzz", 30).getBytes(StandardCharsets.UTF_8);
		byte[] teams = GeneratedExports.teamsPage("fuzz", 8).getBytes(StandardCharsets.UTF_8);
		byte[] cloud = GeneratedExports.cloudWebhooks("fuzz", 6).getBytes(StandardCharsets.UTF_8);
		Random seeds = new Random(SEED);
		int refused = 0;
		long records = 0;
		long quarantined = 0;

		for (int i = 0; i < CASES; i++) {
			long seed = seeds.nextLong();
			ExportMutator mutator = new ExportMutator(seed);
			Case input = switch (i % 5) {
				case 0 -> new Case(new WhatsAppExportSource(), "WhatsApp Chat with Fuzz.zip", mutator.zip(whatsAppZip));
				case 1 -> new Case(new SlackExportSource(), "slack.zip", mutator.zip(slackZip));
				case 2 ->
					new Case(new WhatsAppExportSource(), "WhatsApp Chat with Fuzz.txt", mutator.text(whatsAppText));
				case 3 -> new Case(new TeamsGraphSource(), "chat.json", mutator.text(teams));
				default -> new Case(new WhatsAppCloudSource(), "capture.jsonl", mutator.text(cloud));
			};
			Path file = Files.createDirectories(this.dir.resolve(Integer.toString(i))).resolve(input.name());
			Files.write(file, input.bytes());

			// when
			try (SourceReader reader = input.source().open(file, SourceOptions.defaults())) {
				while (reader.hasNext()) {
					SourceRecord record = reader.next();
					// then
					if (record instanceof QuarantinedRecord q) {
						assertThat(q.reason()).as(describe(i, seed, mutator)).isNotBlank();
						assertThat(q.raw()).as(describe(i, seed, mutator)).isNotNull();
						quarantined++;
					}
					else {
						assertThat(record).as(describe(i, seed, mutator)).isInstanceOf(ChatRecord.class);
						records++;
					}
				}
			}
			catch (IOException ex) {
				// cannot be opened as this format: the migration quarantines the file
				// whole
				refused++;
			}
			catch (RuntimeException | AssertionError ex) {
				fail(describe(i, seed, mutator) + ": " + ex, ex);
			}
		}

		System.out.printf("fuzz: %d cases (seed %d): %d refused whole, %d records, %d quarantined%n", CASES, SEED,
				refused, records, quarantined);
		assertThat(records).isPositive();
		assertThat(quarantined + refused).isPositive();
	}

	private static byte[] whatsAppZip() {
		ForgedZip zip = GeneratedExports.whatsAppZip("fuzz", 20);
		zip.add("IMG-20240312-WA0001.jpg", "not really a jpeg, but its bytes are checked".repeat(20)).stored();
		zip.add("notes.txt", "a media file the chat does not name".repeat(50));
		return zip.bytes();
	}

	private static String describe(int i, long seed, ExportMutator mutator) {
		return "case " + i + " (seed " + seed + "): " + mutator.applied();
	}

	record Case(ChatSource source, String name, byte[] bytes) {
	}

}
