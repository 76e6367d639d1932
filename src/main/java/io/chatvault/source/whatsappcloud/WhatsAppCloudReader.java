package io.chatvault.source.whatsappcloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.DateOrder;
import io.chatvault.source.InputFiles;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;
import io.chatvault.source.QueuedSourceReader;
import io.chatvault.source.RawDigest;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;

/**
 * Reads captured webhook bodies one at a time: a file holding one body, a JSON array of
 * bodies, JSON lines, or an object mapping test-case names to bodies (the pywa fixture
 * style, each case named as the entry of its records).
 */
final class WhatsAppCloudReader extends QueuedSourceReader {

	private final Path root;

	private final Iterator<Path> files;

	private final JsonRecords json = new JsonRecords();

	private final WebhookMapper mapper = new WebhookMapper(this.json);

	private final SourceDescription description;

	private Path file;

	private JsonRecordSplitter splitter;

	private long bodyNumber;

	WhatsAppCloudReader(Path root, List<Path> files, List<String> notes) {
		this.root = root;
		this.files = files.iterator();
		this.description = new SourceDescription(SourceFormat.WHATSAPP_CLOUD, DateOrder.AUTO, notes);
	}

	@Override
	public SourceDescription description() {
		return this.description;
	}

	@Override
	protected boolean produce() throws IOException {
		if (this.splitter == null) {
			if (!this.files.hasNext()) {
				return false;
			}
			this.file = this.files.next();
			this.bodyNumber = 0;
			this.splitter = new JsonRecordSplitter(Files.newInputStream(this.file));
			return true;
		}
		Optional<JsonRecordSplitter.Record> next;
		try {
			next = this.splitter.next();
		}
		catch (IOException ex) {
			emit(new QuarantinedRecord(InputFiles.location(this.root, this.file, "", this.bodyNumber + 1),
					"the rest of the file cannot be read: " + ex.getMessage(), new byte[0]));
			next = Optional.empty();
		}
		if (next.isEmpty()) {
			this.splitter.close();
			this.splitter = null;
			return true;
		}
		handle(next.get());
		return true;
	}

	private void handle(JsonRecordSplitter.Record record) {
		JsonRecords.Parsed parsed = this.json.parse(record);
		if (!parsed.ok()) {
			emit(new QuarantinedRecord(InputFiles.location(this.root, this.file, "", ++this.bodyNumber),
					parsed.problem(), record.raw(), record.rawLength()));
			return;
		}
		JsonNode node = parsed.node();
		if (isCaseMap(node)) {
			for (Map.Entry<String, JsonNode> testCase : node.properties()) {
				body(testCase.getValue(), testCase.getKey(), this.json.toJsonBytes(testCase.getValue()));
			}
			return;
		}
		body(node, "", record.raw());
	}

	/** A fixture file: named cases, each a webhook body. */
	private static boolean isCaseMap(JsonNode node) {
		if (!node.isObject() || node.has("entry") || node.has("object") || node.isEmpty()) {
			return false;
		}
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (!field.getValue().isObject() || !field.getValue().has("entry")) {
				return false;
			}
		}
		return true;
	}

	private void body(JsonNode body, String caseName, byte[] raw) {
		SourceLocation origin = InputFiles.location(this.root, this.file, caseName, ++this.bodyNumber);
		List<MappedRecord> results;
		try {
			results = this.mapper.map(body, origin, RawDigest.sha256Hex(raw));
		}
		catch (RuntimeException ex) {
			results = List.of(MappedRecord.problem("cannot map the webhook body: " + ex));
		}
		for (MappedRecord result : results) {
			emit(result.ok() ? result.record() : new QuarantinedRecord(origin, result.problem(), raw));
		}
	}

	@Override
	public void close() throws IOException {
		if (this.splitter != null) {
			this.splitter.close();
		}
	}

}
