package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

/** Reads a whole export in a test, with the figures the tests assert on. */
record ExportFixture(SourceDescription description, List<SourceRecord> records) {

	static final String PUBLIC = "/fixtures/public/";

	static Path resource(String path) {
		try {
			return Path.of(ExportFixture.class.getResource(PUBLIC + path).toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static ExportFixture read(Path input, SourceOptions options) {
		try (SourceReader reader = new WhatsAppExportSource().open(input, options)) {
			List<SourceRecord> records = new ArrayList<>();
			reader.forEachRemaining(records::add);
			return new ExportFixture(reader.description(), records);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static ExportFixture read(String resource) {
		return read(resource(resource), SourceOptions.defaults());
	}

	List<ChatRecord> chatRecords() {
		return this.records.stream().filter(ChatRecord.class::isInstance).map(ChatRecord.class::cast).toList();
	}

	List<ChatRecord> messages() {
		return chatRecords().stream().filter((r) -> r.kind() == RecordKind.MESSAGE).toList();
	}

	List<ChatRecord> events() {
		return chatRecords().stream().filter((r) -> r.kind() == RecordKind.SYSTEM_EVENT).toList();
	}

	List<QuarantinedRecord> quarantined() {
		return this.records.stream()
			.filter(QuarantinedRecord.class::isInstance)
			.map(QuarantinedRecord.class::cast)
			.toList();
	}

	Map<String, Long> messagesByAuthor() {
		return messages().stream()
			.collect(Collectors.groupingBy((r) -> r.author().displayName(), Collectors.counting()));
	}

	/** The number of input lines the records account for: each line exactly once. */
	long linesAccountedFor() {
		return this.records.stream().mapToLong(lineSpan()).sum();
	}

	static java.util.function.ToLongFunction<SourceRecord> lineSpan() {
		return (record) -> {
			if (record instanceof ChatRecord chat) {
				String last = chat.extra().get("lastLine");
				return (last != null) ? Long.parseLong(last) - chat.origin().line() + 1 : 1;
			}
			// line 0: a refused zip entry, not a line of the chat text
			return (record.origin().line() > 0) ? 1 : 0;
		};
	}

}
