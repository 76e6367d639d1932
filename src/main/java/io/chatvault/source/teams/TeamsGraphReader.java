package io.chatvault.source.teams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.DateOrder;
import io.chatvault.source.JsonFilesReader;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.UnreadMessageArrays;

/**
 * Reads Graph chatMessage files one message at a time: a JSON array (an export), paged
 * responses ({@code {"value": [...], "@odata.nextLink": ...}}, one page per file or one
 * per line), or single messages. A page is parsed whole, which Graph bounds to a few
 * dozen messages; an array of any length is streamed. Replies nested in their root
 * ({@code $expand=replies}) are messages of their own; any other nested array of
 * chatMessages is quarantined ({@link UnreadMessageArrays}).
 */
final class TeamsGraphReader extends JsonFilesReader {

	private final TeamsMessageMapper mapper = new TeamsMessageMapper(json());

	TeamsGraphReader(Path root, List<Path> files, List<String> notes) {
		super(root, files, new SourceDescription(SourceFormat.TEAMS, DateOrder.AUTO, notes));
	}

	@Override
	protected void handle(JsonRecordSplitter.Record record, JsonNode node) {
		JsonNode page = node.isObject() ? Optional.ofNullable(node.get("value")).orElse(node.path("Value")) : null;
		if (!arrayMode() && page != null && page.isArray()) {
			// Each message's exact bytes within the page, where the page can be walked.
			List<long[]> spans = json().arrayElementSpans(record.raw(), "value", "Value");
			int i = 0;
			for (JsonNode message : page) {
				long[] span = (spans.size() == page.size()) ? spans.get(i) : null;
				byte[] raw = (span != null) ? Arrays.copyOfRange(record.raw(), (int) span[0], (int) (span[0] + span[1]))
						: json().toJsonBytes(message);
				message(message, raw, (span != null) ? record.offset() + span[0] : -1, null);
				i++;
			}
			return;
		}
		message(node, record.raw(), record.offset(), null);
	}

	/**
	 * Emits a message, then the messages nested in it (the replies of a root fetched with
	 * {@code $expand=replies}) as messages of their own, then, quarantined, every other
	 * nested array of chatMessages, so that none is dropped unseen.
	 * @param offset where the message's raw bytes start in the file, or -1 when they are
	 * not a span of it (a nested reply, serialized again)
	 */
	private void message(JsonNode message, byte[] raw, long offset, ChatRecord root) {
		SourceLocation origin = nextLocation("", offset, (offset >= 0) ? raw.length : -1);
		SourceRecord mapped = map(message, raw, origin, root);
		emit(mapped);
		if (!message.isObject()) {
			return;
		}
		ChatRecord parent = (mapped instanceof ChatRecord record) ? record : root;
		for (String field : TeamsMessageMapper.NESTED_MESSAGES) {
			JsonNode nested = message.get(field);
			if (nested != null && nested.isArray()) {
				for (JsonNode reply : nested) {
					message(reply, json().toJsonBytes(reply), -1, parent);
				}
			}
		}
		String container = "chatMessage "
				+ Optional.ofNullable(JsonRecords.text(message, "id", "Id")).orElse("without an id");
		for (UnreadMessageArrays.Found found : UnreadMessageArrays.find(message, TeamsMessageMapper::messageShaped,
				TeamsMessageMapper.NESTED_MESSAGES)) {
			for (int i = 0; i < found.messages().size(); i++) {
				emit(new QuarantinedRecord(nextLocation(""), found.reason(i, container, "teams"),
						json().toJsonBytes(found.messages().get(i))));
			}
		}
	}

	private SourceRecord map(JsonNode message, byte[] raw, SourceLocation origin, ChatRecord root) {
		try {
			MappedRecord result = this.mapper.map(message, conversationHint(origin), origin, Sha256.hex(raw), root);
			return result.ok() ? result.record() : new QuarantinedRecord(origin, result.problem(), raw);
		}
		catch (RuntimeException ex) {
			return new QuarantinedRecord(origin, "cannot map the chatMessage: " + ex, raw);
		}
	}

	/** Exports that name no chat or channel in the message name it by their folder. */
	private static String conversationHint(SourceLocation origin) {
		Path path = Path.of(origin.entry().isEmpty() ? origin.file() : origin.file() + "/" + origin.entry());
		Path parent = path.getParent();
		return (parent != null && parent.getFileName() != null) ? parent.getFileName().toString()
				: path.getFileName().toString();
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
