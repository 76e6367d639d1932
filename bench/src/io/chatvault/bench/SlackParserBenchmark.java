package io.chatvault.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.source.slack.SlackExportSource;

/**
 * Parse rate and peak heap of the Slack export reader on a generated export of
 * {@code messages} messages (default 1,000,000): 40 channels of day files of 100
 * messages, plus one channel with a single day of 100,000 messages (day files can be
 * big). Every 10th message is a thread reply, every 20th has reactions, every 50th is
 * edited, every 100th is a file share, every 200th a message_changed, every 500th a
 * join. Run with a small heap to show that memory stays flat; see docs/sources.md.
 */
public final class SlackParserBenchmark {

	private SlackParserBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		long messages = (args.length > 0) ? Long.parseLong(args[0]) : 1_000_000L;
		Path zip = Path.of((args.length > 1) ? args[1] : "target/bench/slack-" + messages + ".zip");
		if (!Files.exists(zip)) {
			long started = System.nanoTime();
			generate(zip, messages);
			System.out.printf("generated %s (%,d bytes) in %.1f s%n", zip, Files.size(zip),
					(System.nanoTime() - started) / 1e9);
		}
		// Warm-up on the same input is not needed for a run of this length; one pass.
		System.gc();
		ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
		Map<RecordKind, Long> kinds = new EnumMap<>(RecordKind.class);
		long quarantined = 0;
		long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
		long started = System.nanoTime();
		try (SourceReader reader = new SlackExportSource().open(zip, SourceOptions.defaults())) {
			while (reader.hasNext()) {
				SourceRecord record = reader.next();
				if (record instanceof ChatRecord chat) {
					kinds.merge(chat.kind(), 1L, Long::sum);
				}
				else {
					quarantined++;
				}
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
		long records = kinds.values().stream().mapToLong(Long::longValue).sum() + quarantined;
		long peakHeap = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.mapToLong((pool) -> pool.getPeakUsage().getUsed())
			.sum();
		System.out.printf("records: %,d (%s), quarantined: %,d%n", records, kinds, quarantined);
		System.out.printf("input: %,d bytes zipped%n", Files.size(zip));
		System.out.printf("wall: %.2f s, parse thread CPU: %.2f s%n", seconds, cpuSeconds);
		System.out.printf("rate: %,.0f records/s (wall), %,.0f records/s per CPU second%n", records / seconds,
				records / cpuSeconds);
		System.out.printf("peak heap used: %,d MB (max heap %,d MB)%n", peakHeap >> 20,
				Runtime.getRuntime().maxMemory() >> 20);
		System.out.printf("java %s, %d cores, %s, %s%n", System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), cpuModel(), Instant.now());
	}

	private static String cpuModel() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("unknown CPU");
		}
		catch (IOException ex) {
			return "unknown CPU";
		}
	}

	static void generate(Path zip, long messages) throws IOException {
		Files.createDirectories(zip.toAbsolutePath().getParent());
		Path partial = zip.resolveSibling(zip.getFileName() + ".partial");
		long bigDay = Math.min(100_000, messages / 10);
		long rest = messages - bigDay;
		int channels = 40;
		int perDay = 100;
		try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16))) {
			out.setLevel(1);
			put(out, "users.json", users());
			StringBuilder list = new StringBuilder("[");
			for (int c = 0; c <= channels; c++) {
				list.append((c > 0) ? "," : "")
					.append("{\"id\":\"C")
					.append(1000 + c)
					.append("\",\"name\":\"channel-")
					.append(c)
					.append("\",\"created\":\"1600000000\",\"members\":[\"U1\",\"U2\",\"U3\"]}");
			}
			put(out, "channels.json", list.append("]").toString());
			long written = 0;
			long serial = 0;
			int day = 0;
			while (written < rest) {
				for (int c = 1; c <= channels && written < rest; c++) {
					int count = (int) Math.min(perDay, rest - written);
					out.putNextEntry(new ZipEntry("channel-" + c + "/" + date(day) + ".json"));
					writeDay(out, count, day, serial);
					out.closeEntry();
					written += count;
					serial += count;
				}
				day++;
			}
			out.putNextEntry(new ZipEntry("channel-0/" + date(0) + ".json"));
			writeDay(out, (int) bigDay, 0, serial);
			out.closeEntry();
		}
		Files.move(partial, zip);
	}

	private static void writeDay(OutputStream out, int count, int day, long serial) throws IOException {
		StringBuilder text = new StringBuilder(count * 260);
		text.append("[\n");
		long base = 1_600_000_000L + day * 86_400L;
		for (int i = 0; i < count; i++) {
			long n = serial + i;
			String ts = (base + i / 10) + "." + String.format("%06d", n % 1_000_000);
			String user = "U" + (1 + n % 3);
			text.append((i > 0) ? ",\n" : "");
			if (n % 500 == 499) {
				text.append("{\"type\":\"message\",\"subtype\":\"channel_join\",\"user\":\"").append(user)
					.append("\",\"text\":\"<@").append(user).append("> has joined the channel\",\"ts\":\"").append(ts)
					.append("\"}");
			}
			else if (n % 200 == 199) {
				text.append("{\"type\":\"message\",\"subtype\":\"message_changed\",\"hidden\":true,\"ts\":\"").append(ts)
					.append("\",\"message\":{\"type\":\"message\",\"user\":\"").append(user)
					.append("\",\"text\":\"corrected figure 42\",\"edited\":{\"user\":\"").append(user)
					.append("\",\"ts\":\"").append(ts).append("\"},\"ts\":\"").append(base).append(".000001\"},")
					.append("\"previous_message\":{\"type\":\"message\",\"user\":\"").append(user)
					.append("\",\"text\":\"figure 24\",\"ts\":\"").append(base).append(".000001\"}}");
			}
			else {
				text.append("{\"client_msg_id\":\"").append(Long.toHexString(n * 2654435761L))
					.append("\",\"type\":\"message\",\"user\":\"").append(user)
					.append("\",\"text\":\"Message ").append(n)
					.append(" about the quarterly numbers, see <https://example.com/q/").append(n % 97)
					.append("|report>\",\"ts\":\"").append(ts).append('"');
				if (n % 10 == 3) {
					text.append(",\"thread_ts\":\"").append(base).append(".000001\",\"parent_user_id\":\"U1\"");
				}
				if (n % 20 == 7) {
					text.append(",\"reactions\":[{\"name\":\"+1\",\"users\":[\"U1\",\"U2\"],\"count\":2}]");
				}
				if (n % 50 == 11) {
					text.append(",\"edited\":{\"user\":\"").append(user).append("\",\"ts\":\"").append(ts).append("\"}");
				}
				if (n % 100 == 13) {
					text.append(",\"subtype\":\"file_share\",\"files\":[{\"id\":\"F").append(n)
						.append("\",\"name\":\"report.pdf\",\"mimetype\":\"application/pdf\",\"size\":1234,")
						.append("\"url_private\":\"https://files.slack.com/files-pri/T1-F").append(n)
						.append("/report.pdf\"}]");
				}
				text.append('}');
			}
		}
		text.append("\n]\n");
		out.write(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static String users() {
		return "[{\"id\":\"U1\",\"name\":\"ann\",\"real_name\":\"Ann Archer\"},"
				+ "{\"id\":\"U2\",\"name\":\"bob\",\"real_name\":\"Bob Baker\"},"
				+ "{\"id\":\"U3\",\"name\":\"cy\",\"real_name\":\"Cy Cole\"}]";
	}

	private static void put(ZipOutputStream out, String name, String content) throws IOException {
		out.putNextEntry(new ZipEntry(name));
		out.write(content.getBytes(StandardCharsets.UTF_8));
		out.closeEntry();
	}

	private static String date(int day) {
		return java.time.LocalDate.of(2020, 9, 13).plusDays(day).toString();
	}

}
