package io.chatvault.migration;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a large, realistic WhatsApp Android "Export chat" file from a seed: several
 * authors, messages of varied length, multi-line messages, edits, deletions, system
 * lines, and (for a zip) media attachments with their bytes. The same seed always writes
 * the same bytes, so an expected archive can be computed from it.
 */
public final class GeneratedWhatsAppExport {

	private static final DateTimeFormatter HEADER = DateTimeFormatter.ofPattern("dd/MM/yyyy, HH:mm");

	private static final String[] AUTHORS = { "Alice Morgan", "Ravi Patel", "Dana Kim", "Marco Rossi", "Jen O'Neill",
			"Tomás Ortega", "Priya Shah", "+44 7700 900123" };

	private static final String[] WORDS = ("the deal price client contract signed call tomorrow meeting approved "
			+ "discount volume seats renewal quarter pipeline legal review draft send update office agreed risk "
			+ "invoice payment term sheet lease landlord budget forecast target numbers report team ok thanks "
			+ "please can we should will next week monday friday morning afternoon 10:30 12% 3 year 👍 🎉")
		.split(" ");

	private GeneratedWhatsAppExport() {
	}

	/**
	 * How media is mixed in, by share of the export's bytes (text included). Each media
	 * file is attached once, as in a real export, and the media messages are spread
	 * evenly through the chat.
	 *
	 * @param text share of the text
	 * @param images share of images
	 * @param videos share of videos
	 * @param voice share of voice notes
	 */
	public record MediaMix(double text, double images, double videos, double voice) {

		public static final MediaMix NONE = new MediaMix(1, 0, 0, 0);

		/** Roughly what a chat text line of this generator weighs. */
		static final int TEXT_BYTES_PER_MESSAGE = 117;

		long budget(double share, int messages) {
			return (long) ((long) messages * TEXT_BYTES_PER_MESSAGE * share / this.text);
		}

	}

	/**
	 * Writes a plain .txt export (media omitted).
	 * @param file the file to write
	 * @param messages how many records (messages and system lines)
	 * @param seed the seed
	 */
	public static void writeText(Path file, int messages, long seed) throws IOException {
		try (Writer out = new BufferedWriter(
				new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
			write(out, messages, seed, MediaMix.NONE, List.of());
		}
	}

	/**
	 * Writes a .zip export: the chat text and the media files it references.
	 * @param zip the zip to write
	 * @param chatName the chat's name (the text entry is "WhatsApp Chat with NAME.txt")
	 * @param messages how many records
	 * @param seed the seed
	 * @param mix the media mix, by bytes
	 * @return the bytes of media written into the zip
	 */
	public static long writeZip(Path zip, String chatName, int messages, long seed, MediaMix mix) throws IOException {
		List<String> media = new ArrayList<>();
		long mediaBytes = 0;
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
			int index = 0;
			long[] budgets = { mix.budget(mix.images(), messages), mix.budget(mix.videos(), messages),
					mix.budget(mix.voice(), messages) };
			String[] patterns = { "IMG-20240101-WA%05d.jpg", "VID-20240101-WA%05d.mp4", "PTT-20240101-WA%05d.opus" };
			int[][] sizes = { { 40_000, 160_000 }, { 500_000, 3_500_000 }, { 8_000, 50_000 } };
			for (int kind = 0; kind < budgets.length; kind++) {
				long left = budgets[kind];
				while (left > 0) {
					String name = String.format(patterns[kind], index++);
					int size = (int) Math.min(left, sizes[kind][0] + random.nextInt(sizes[kind][1]));
					byte[] bytes = incompressible(Math.max(size, 64), random.nextLong(), name);
					ZipEntry entry = new ZipEntry(name);
					// Stored, as phones do for media that is already compressed.
					entry.setMethod(ZipEntry.STORED);
					entry.setSize(bytes.length);
					CRC32 crc = new CRC32();
					crc.update(bytes);
					entry.setCrc(crc.getValue());
					out.putNextEntry(entry);
					out.write(bytes);
					out.closeEntry();
					media.add(name);
					mediaBytes += bytes.length;
					left -= bytes.length;
				}
			}
			java.util.Collections.shuffle(media, new Random(seed));
			out.putNextEntry(new ZipEntry("WhatsApp Chat with " + chatName + ".txt"));
			Writer text = new BufferedWriter(new OutputStreamWriter(new NonClosing(out), StandardCharsets.UTF_8),
					1 << 16);
			write(text, messages, seed, mix, media);
			text.flush();
			out.closeEntry();
		}
		return mediaBytes;
	}

	private static void write(Writer out, int messages, long seed, MediaMix mix, List<String> media)
			throws IOException {
		Random random = new Random(seed);
		LocalDateTime time = LocalDateTime.of(2021, 1, 4, 8, 0);
		out.write(HEADER.format(time) + " - Messages and calls are end-to-end encrypted. No one outside of this chat, "
				+ "not even WhatsApp, can read or listen to them. Tap to learn more.\n");
		int mediaEvery = media.isEmpty() ? Integer.MAX_VALUE : Math.max(1, messages / (media.size() + 1));
		int mediaIndex = 0;
		StringBuilder line = new StringBuilder(256);
		for (int i = 1; i < messages; i++) {
			time = time.plusSeconds(random.nextInt(240));
			String author = AUTHORS[random.nextInt(AUTHORS.length)];
			line.setLength(0);
			line.append(HEADER.format(time)).append(" - ");
			double kind = random.nextDouble();
			if (kind < 0.004) {
				line.append(author).append(" changed the group description");
			}
			else if (i % mediaEvery == 0 && mediaIndex < media.size()) {
				line.append(author).append(": ").append(media.get(mediaIndex++)).append(" (file attached)");
			}
			else if (kind > 0.995) {
				line.append(author).append(": This message was deleted");
			}
			else {
				line.append(author).append(": ");
				int words = 2 + random.nextInt(random.nextInt(10) < 8 ? 14 : 60);
				for (int w = 0; w < words; w++) {
					if (w > 0) {
						line.append((random.nextInt(40) == 0) ? '\n' : ' ');
					}
					line.append(WORDS[random.nextInt(WORDS.length)]);
				}
				line.append(' ').append(i);
				if (kind > 0.985) {
					line.append(" <This message was edited>");
				}
			}
			line.append('\n');
			out.write(line.toString());
		}
	}

	/** Bytes that do not compress (like JPEG and MP4), with a header naming the file. */
	private static byte[] incompressible(int size, long seed, String name) {
		byte[] bytes = new byte[size];
		new SplittableRandom(seed).nextBytes(bytes);
		byte[] header = ("\u0000" + name).getBytes(StandardCharsets.US_ASCII);
		if (name.endsWith(".jpg")) {
			bytes[0] = (byte) 0xFF;
			bytes[1] = (byte) 0xD8;
			bytes[2] = (byte) 0xFF;
			bytes[3] = (byte) 0xE0;
		}
		System.arraycopy(header, 0, bytes, 4, Math.min(header.length, size - 4));
		return bytes;
	}

	private static final class NonClosing extends java.io.FilterOutputStream {

		NonClosing(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			this.out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
