package io.chatvault.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads an RSMF file as a review platform would: the RFC 5322 headers, the
 * {@code rsmf.zip} attachment of the multipart body, and the zip's entries.
 *
 * @param headers the top-level headers
 * @param zipEntries the entries of rsmf.zip by name
 */
record RsmfFile(Map<String, String> headers, Map<String, byte[]> zipEntries) {

	private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";\\r\\n]+)\"?");

	static RsmfFile parse(byte[] bytes) throws IOException {
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int split = text.indexOf("\r\n\r\n");
		int skip = 4;
		if (split < 0 || (text.indexOf("\n\n") >= 0 && text.indexOf("\n\n") < split)) {
			split = text.indexOf("\n\n");
			skip = 2;
		}
		Map<String, String> headers = headers(text.substring(0, split));
		Matcher boundary = BOUNDARY.matcher(headers.getOrDefault("content-type", ""));
		if (!boundary.find()) {
			throw new IOException("no multipart boundary in " + headers);
		}
		String body = text.substring(split + skip);
		for (String part : body.split(Pattern.quote("--" + boundary.group(1)))) {
			String trimmed = part.replaceFirst("^\\r?\\n", "");
			int end = trimmed.indexOf("\r\n\r\n");
			int partSkip = 4;
			if (end < 0 || (trimmed.indexOf("\n\n") >= 0 && trimmed.indexOf("\n\n") < end)) {
				end = trimmed.indexOf("\n\n");
				partSkip = 2;
			}
			if (end < 0) {
				continue;
			}
			Map<String, String> partHeaders = headers(trimmed.substring(0, end));
			if (partHeaders.getOrDefault("content-disposition", "").contains("rsmf.zip")) {
				byte[] zip = Base64.getMimeDecoder().decode(trimmed.substring(end + partSkip).trim());
				Map<String, byte[]> entries = new LinkedHashMap<>();
				try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
					for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
						entries.put(entry.getName(), in.readAllBytes());
					}
				}
				return new RsmfFile(headers, entries);
			}
		}
		throw new IOException("no rsmf.zip attachment");
	}

	private static Map<String, String> headers(String block) {
		Map<String, String> headers = new LinkedHashMap<>();
		String name = null;
		for (String line : block.split("\\r?\\n")) {
			if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
				headers.merge(name, " " + line.trim(), String::concat);
			}
			else if (line.indexOf(':') > 0) {
				name = line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT);
				headers.put(name, line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return headers;
	}

}
