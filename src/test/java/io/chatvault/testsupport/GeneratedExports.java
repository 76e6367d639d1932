package io.chatvault.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small exports of every format, written by tests: WhatsApp text and zip, a Slack
 * workspace zip, a Teams Graph page and a WhatsApp Cloud API webhook capture. Each
 * message's text is unique (it carries the tag and its number), so a test can tell which
 * export a record came from and whether a forged one got in.
 */
public final class GeneratedExports {

	private GeneratedExports() {
	}

	/**
	 * The text of a WhatsApp export of {@code messages} lines, LF-terminated.
	 * @param tag a word in every message
	 * @param messages how many
	 * @return the chat text
	 */
	public static String whatsAppText(String tag, int messages) {
		StringBuilder text = new StringBuilder();
		for (int i = 1; i <= messages; i++) {
			text.append(String.format("12/03/2024, %02d:%02d - %s: %s message %d%n", 8 + i / 60, i % 60,
					(i % 2 == 0) ? "Alice Morgan" : "Ravi Patel", tag, i));
		}
		return text.toString().replace("\r\n", "\n");
	}

	/**
	 * A WhatsApp export zip: the chat text as {@code _chat.txt} and media entries.
	 * @param tag a word in every message
	 * @param messages how many
	 * @return the forgeable archive
	 */
	public static ForgedZip whatsAppZip(String tag, int messages) {
		ForgedZip zip = new ForgedZip();
		zip.add("_chat.txt", whatsAppText(tag, messages));
		return zip;
	}

	/**
	 * A Slack workspace export zip: one user, one channel, one day file.
	 * @param tag a word in every message
	 * @param messages how many
	 * @return the zip's bytes
	 */
	public static byte[] slackZip(String tag, int messages) throws IOException {
		StringBuilder day = new StringBuilder("[");
		for (int i = 1; i <= messages; i++) {
			day.append((i > 1) ? "," : "")
				.append(String.format("{\"type\":\"message\",\"user\":\"U01\",\"text\":\"%s message %d\","
						+ "\"ts\":\"17101500%02d.000100\"}", tag, i, i));
		}
		day.append("]");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream out = new ZipOutputStream(bytes)) {
			entry(out, "users.json", "[{\"id\":\"U01\",\"name\":\"ann\",\"real_name\":\"Ann Lee\"}]");
			entry(out, "channels.json", "[{\"id\":\"C01\",\"name\":\"general\",\"created\":1710000000}]");
			entry(out, "general/2024-03-11.json", day.toString());
		}
		return bytes.toByteArray();
	}

	/**
	 * A Microsoft Graph page of chat messages.
	 * @param tag a word in every message
	 * @param messages how many
	 * @return the JSON
	 */
	public static String teamsPage(String tag, int messages) {
		StringBuilder page = new StringBuilder("{\"value\":[");
		for (int i = 1; i <= messages; i++) {
			page.append((i > 1) ? "," : "")
				.append(String.format("{\"id\":\"%s-%d\",\"messageType\":\"message\",\"createdDateTime\":"
						+ "\"2024-05-01T10:%02d:00Z\",\"chatId\":\"19:%s@thread.v2\",\"from\":{\"user\":{\"id\":\"u1\","
						+ "\"displayName\":\"Ann\"}},\"body\":{\"contentType\":\"text\",\"content\":\"%s message %d\"}}",
						tag, i, i, tag, tag, i));
		}
		return page.append("]}").toString();
	}

	/**
	 * WhatsApp Cloud API webhook bodies, one per line.
	 * @param tag a word in every message
	 * @param messages how many
	 * @return the JSON lines
	 */
	public static String cloudWebhooks(String tag, int messages) {
		StringBuilder lines = new StringBuilder();
		for (int i = 1; i <= messages; i++) {
			lines.append(String.format("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
					+ "[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
					+ "{\"phone_number_id\":\"P1\"},\"messages\":[{\"from\":\"C1\",\"id\":\"wamid.%s.%d\",\"timestamp\":"
					+ "\"17000000%02d\",\"type\":\"text\",\"text\":{\"body\":\"%s message %d\"}}]}}]}]}%n", tag, i, i,
					tag, i));
		}
		return lines.toString();
	}

	/**
	 * Writes text as UTF-8.
	 * @param file where
	 * @param text what
	 * @return the file
	 */
	public static Path write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		return Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	/**
	 * Writes bytes.
	 * @param file where
	 * @param bytes what
	 * @return the file
	 */
	public static Path write(Path file, byte[] bytes) throws IOException {
		Files.createDirectories(file.getParent());
		return Files.write(file, bytes);
	}

	private static void entry(ZipOutputStream out, String name, String text) throws IOException {
		out.putNextEntry(new ZipEntry(name));
		out.write(text.getBytes(StandardCharsets.UTF_8));
		out.closeEntry();
	}

}
