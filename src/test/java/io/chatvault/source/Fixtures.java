package io.chatvault.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceRecord;

/**
 * The public fixtures vendored under src/test/resources/fixtures/public (see SOURCES.md
 * there), and helpers to read a whole source in tests.
 */
public final class Fixtures {

	private Fixtures() {
	}

	/**
	 * A fixture file.
	 * @param relative the path below fixtures/public, as in SOURCES.md
	 * @return the file
	 */
	public static Path publicFixture(String relative) {
		URL url = Fixtures.class.getResource("/fixtures/public/" + relative);
		if (url == null) {
			throw new IllegalArgumentException("no fixture " + relative);
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Reads a whole input.
	 * @param source the source
	 * @param input the input
	 * @return every record, in order
	 */
	public static List<SourceRecord> readAll(ChatSource source, Path input) {
		try (SourceReader reader = source.open(input, SourceOptions.defaults())) {
			List<SourceRecord> records = new ArrayList<>();
			reader.forEachRemaining(records::add);
			return records;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static List<ChatRecord> parsed(List<SourceRecord> records) {
		return records.stream().filter(ChatRecord.class::isInstance).map(ChatRecord.class::cast).toList();
	}

	public static List<QuarantinedRecord> quarantined(List<SourceRecord> records) {
		return records.stream().filter(QuarantinedRecord.class::isInstance).map(QuarantinedRecord.class::cast).toList();
	}

	public static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		byte[] all = new byte[length];
		int at = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

}
