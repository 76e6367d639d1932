package io.chatvault.source.whatsapp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import org.junit.jupiter.api.Test;

/**
 * Parse rate and peak heap of the WhatsApp export reader on a generated export of at
 * least 1 GB (see docs/sources-whatsapp.md for the run line). The export is generated
 * once into {@code chatvault.bench.whatsapp.file} (default
 * /tmp/chatvault-bench/WhatsApp Chat with Bench.txt) and reused.
 *
 * <p>
 * It reports wall-clock and CPU-time rates (the reader is single-threaded, so messages per
 * CPU second of the reading thread is the one-core rate, whatever else the machine runs),
 * and the heap: the peak of the heap pools as the JVM saw it, after a GC before the run.
 */
class WhatsAppParseBenchmark {

	private static final long DEFAULT_BYTES = 1L << 30;

	private static final String[] AUTHORS = { "Anna Schmidt", "Bob", "Carla Rossi", "~ Dimitri", "+44 7700 900123",
			"Émile Zola", "山田太郎" };

	private static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be "
			+ "this have from or one had by word but not what all were we when your can said there use an each which "
			+ "she do how their if will up other about out many then them these so some her would make like him into "
			+ "time has look two more write go see number no way could people my than first water been call who oil "
			+ "its now find long down day did get come made may part meeting invoice contract 😀 🎉 ok ✔ café naïve")
		.split(" ");

	@Test
	void parseGeneratedExport() throws IOException {
		long bytes = Long.getLong("chatvault.bench.whatsapp.bytes", DEFAULT_BYTES);
		Path file = Path.of(System.getProperty("chatvault.bench.whatsapp.file",
				"/tmp/chatvault-bench/WhatsApp Chat with Bench.txt"));
		if (!Files.exists(file) || Files.size(file) < bytes) {
			long start = System.nanoTime();
			long written = generate(file, bytes);
			System.out.printf("generated %s: %,d messages, %,d bytes in %.1f s%n", file, written, Files.size(file),
					(System.nanoTime() - start) / 1e9);
		}
		System.gc();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			pool.resetPeakUsage();
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpuStart = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		long messages = 0;
		long events = 0;
		long quarantined = 0;
		long bodyChars = 0;
		long attachments = 0;
		SourceOptions options = new SourceOptions("bench", ZoneOffset.UTC, DateOrder.AUTO);
		try (SourceReader reader = new WhatsAppExportSource().open(file, options)) {
			while (reader.hasNext()) {
				SourceRecord record = reader.next();
				if (record instanceof ChatRecord chat) {
					if (chat.kind() == RecordKind.MESSAGE) {
						messages++;
					}
					else {
						events++;
					}
					bodyChars += chat.body().length();
					attachments += chat.attachments().size();
				}
				else if (record instanceof QuarantinedRecord) {
					quarantined++;
				}
			}
			System.out.println("notes: " + reader.description().notes());
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
		long records = messages + events;
		long peakHeap = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peakHeap += pool.getPeakUsage().getUsed();
			}
		}
		long gcCount = 0;
		long gcMillis = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			gcCount += gc.getCollectionCount();
			gcMillis += gc.getCollectionTime();
		}
		String report = String.format(
				"WhatsApp parser: %,d bytes, %,d messages + %,d events (%,d attachments, %,d quarantined, %,d body chars)%n"
						+ "wall %.1f s: %,.0f records/s, %.0f MB/s%n"
						+ "reading thread CPU %.1f s: %,.0f records/s per core%n"
						+ "max heap %d MB, peak heap used (sum of pool peaks) %d MB, %d GCs taking %d ms%n",
				Files.size(file), messages, events, attachments, quarantined, bodyChars, seconds, records / seconds,
				Files.size(file) / 1e6 / seconds, cpuSeconds, records / cpuSeconds,
				Runtime.getRuntime().maxMemory() >> 20, peakHeap >> 20, gcCount, gcMillis);
		System.out.print(report);
		Path out = Path.of("bench/out/whatsapp.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
	}

	/** Writes an Android-style export: mostly text, some multi-line, media, deletions, system lines. */
	static long generate(Path file, long bytes) throws IOException {
		Files.createDirectories(file.getParent());
		Random random = new Random(42);
		LocalDateTime time = LocalDateTime.of(2019, 1, 1, 8, 0);
		long written = 0;
		long count = 0;
		StringBuilder line = new StringBuilder(512);
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			while (written < bytes) {
				time = time.plusSeconds(random.nextInt(90));
				line.setLength(0);
				two(line, time.getDayOfMonth()).append('/');
				two(line, time.getMonthValue()).append('/').append(time.getYear()).append(", ");
				two(line, time.getHour()).append(':');
				two(line, time.getMinute()).append(" - ");
				int kind = random.nextInt(1000);
				String author = AUTHORS[random.nextInt(AUTHORS.length)];
				if (kind < 2) {
					line.append(author).append(" added ").append(AUTHORS[random.nextInt(AUTHORS.length)]);
				}
				else {
					line.append(author).append(": ");
					if (kind < 25) {
						line.append("<Media omitted>");
					}
					else if (kind < 30) {
						line.append("This message was deleted");
					}
					else if (kind < 35) {
						line.append("IMG-2019").append(random.nextInt(100000)).append("-WA0001.jpg (file attached)");
					}
					else {
						words(line, random, 3 + random.nextInt(20));
						if (kind < 90) {
							line.append('\n');
							words(line, random, 2 + random.nextInt(10));
						}
						if (kind < 100) {
							line.append(" <This message was edited>");
						}
					}
				}
				line.append('\n');
				byte[] encoded = line.toString().getBytes(StandardCharsets.UTF_8);
				out.write(encoded);
				written += encoded.length;
				count++;
			}
		}
		return count;
	}

	private static StringBuilder two(StringBuilder line, int value) {
		if (value < 10) {
			line.append('0');
		}
		return line.append(value);
	}

	private static void words(StringBuilder line, Random random, int n) {
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				line.append(' ');
			}
			line.append(WORDS[random.nextInt(WORDS.length)]);
		}
	}

}
