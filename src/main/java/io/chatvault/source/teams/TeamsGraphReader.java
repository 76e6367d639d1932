package io.chatvault.source.teams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;
import io.chatvault.source.QueuedSourceReader;
import io.chatvault.source.RawDigest;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;

/**
 * Reads Graph chatMessage files one message at a time: a JSON array (an export), paged
 * responses ({@code {"value": [...], "@odata.nextLink": ...}}, one page per file or one
 * per line), or single messages. A page is parsed whole, which Graph bounds to a few
 * dozen messages; an array of any length is streamed.
 */
final class TeamsGraphReader extends QueuedSourceReader {

	private final Path root;

	private final Iterator<Path> files;

	private final JsonRecords json = new JsonRecords();

	private final TeamsMessageMapper mapper = new TeamsMessageMapper(this.json);

	private final SourceDescription description;

	private Path file;

	private JsonRecordSplitter splitter;

	private long messageNumber;

	TeamsGraphReader(Path root, List<Path> files, List<String> notes) {
		this.root = root;
		this.files = files.iterator();
		this.description = new SourceDescription(SourceFormat.TEAMS, DateOrder.AUTO, notes);
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
			this.messageNumber = 0;
			this.splitter = new JsonRecordSplitter(Files.newInputStream(this.file));
			return true;
		}
		Optional<JsonRecordSplitter.Record> next;
		try {
			next = this.splitter.next();
		}
		catch (IOException ex) {
			emit(new QuarantinedRecord(location(this.messageNumber + 1),
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
			emit(new QuarantinedRecord(location(++this.messageNumber), parsed.problem(), record.raw(),
					record.rawLength()));
			return;
		}
		JsonNode node = parsed.node();
		JsonNode page = node.isObject() ? Optional.ofNullable(node.get("value")).orElse(node.path("Value")) : null;
		if (!this.splitter.arrayMode() && page != null && page.isArray()) {
			for (JsonNode message : page) {
				emit(map(message, this.json.toJsonBytes(message)));
			}
			return;
		}
		emit(map(node, record.raw()));
	}

	private SourceRecord map(JsonNode message, byte[] raw) {
		SourceLocation origin = location(++this.messageNumber);
		try {
			MappedRecord result = this.mapper.map(message, conversationHint(), origin, RawDigest.sha256Hex(raw));
			return result.ok() ? result.record() : new QuarantinedRecord(origin, result.problem(), raw);
		}
		catch (RuntimeException ex) {
			return new QuarantinedRecord(origin, "cannot map the chatMessage: " + ex, raw);
		}
	}

	/** Exports that name no chat or channel in the message name it by their folder. */
	private String conversationHint() {
		Path parent = this.file.getParent();
		return (parent != null && parent.getFileName() != null) ? parent.getFileName().toString()
				: this.file.getFileName().toString();
	}

	private SourceLocation location(long number) {
		String name = this.root.equals(this.file) ? this.file.toString() : this.root.toString();
		String entry = this.root.equals(this.file) ? ""
				: this.root.relativize(this.file).toString().replace(java.io.File.separatorChar, '/');
		return new SourceLocation(name, entry, number);
	}

	@Override
	public void close() throws IOException {
		if (this.splitter != null) {
			this.splitter.close();
		}
	}

	static List<String> notes(List<Path> files, List<Path> skipped) {
		List<String> notes = new ArrayList<>();
		notes.add(files.size() + " chatMessage file(s)");
		if (!skipped.isEmpty()) {
			notes.add(skipped.size() + " JSON file(s) that hold no chatMessages, not read: "
					+ skipped.stream().limit(10).map(Path::toString).toList());
		}
		return notes;
	}

}
