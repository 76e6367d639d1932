package io.chatvault.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Writes RFC 5322 / MIME messages by hand: headers (non-ASCII values as RFC 2047 encoded
 * words), a UTF-8 text part and attachments, every body base64 so that any byte survives,
 * streamed from their sources.
 */
final class Mime {

	static final String BOUNDARY = "ChatVault-boundary-7f3a9c2e";

	private final OutputStream out;

	Mime(OutputStream out) {
		this.out = out;
	}

	Mime header(String name, String value) throws IOException {
		if (value != null) {
			write(name + ": " + encodeWord(value.replaceAll("[\\r\\n]+", " ")) + "\r\n");
		}
		return this;
	}

	/**
	 * A header whose value is an address: the display name encoded, the address as is.
	 */
	Mime address(String name, String display, String address) throws IOException {
		write(name + ": " + encodeWord(display.replaceAll("[\\r\\n\"]+", " ")) + " <" + address + ">\r\n");
		return this;
	}

	Mime startMultipart() throws IOException {
		write("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + BOUNDARY + "\"\r\n\r\n");
		return this;
	}

	Mime text(String text) throws IOException {
		write("--" + BOUNDARY + "\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n"
				+ "Content-Transfer-Encoding: base64\r\n\r\n");
		base64(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
		return this;
	}

	Mime attachment(String fileName, String mediaType, InputStream content) throws IOException {
		String name = encodeWord(fileName.replaceAll("[\\r\\n\"]+", "_"));
		write("--" + BOUNDARY + "\r\nContent-Type: " + mediaType + "; name=\"" + name + "\"\r\n"
				+ "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"" + name
				+ "\"\r\n\r\n");
		base64(content);
		return this;
	}

	void end() throws IOException {
		write("--" + BOUNDARY + "--\r\n");
	}

	private void base64(InputStream content) throws IOException {
		OutputStream encoder = Base64.getMimeEncoder(76, new byte[] { '\r', '\n' })
			.wrap(new java.io.FilterOutputStream(this.out) {
				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					this.out.write(b, off, len);
				}

				@Override
				public void close() throws IOException {
					flush();
				}
			});
		content.transferTo(encoder);
		encoder.close();
		write("\r\n\r\n");
	}

	private void write(String text) throws IOException {
		this.out.write(text.getBytes(StandardCharsets.UTF_8));
	}

	static String date(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
	}

	/** RFC 2047: ASCII printable values as they are, others as a base64 encoded word. */
	static String encodeWord(String value) {
		boolean ascii = value.chars().allMatch((c) -> c >= 0x20 && c < 0x7f);
		if (ascii) {
			return value;
		}
		return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
	}

}
