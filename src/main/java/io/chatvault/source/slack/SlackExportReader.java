package io.chatvault.source.slack;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SystemEvent;
import io.chatvault.message.SystemEventType;
import io.chatvault.source.DateOrder;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;
import io.chatvault.source.QueuedSourceReader;
import io.chatvault.message.Sha256;
import io.chatvault.source.SafeZip;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.UnreadMessageArrays;

/**
 * Reads a Slack export one day file at a time and one message at a time: only the current
 * message is ever parsed into memory, whatever the size of the export. Unsafe entries,
 * metadata that cannot be read and messages that cannot be mapped are quarantined with
 * their entry and record number.
 */
final class SlackExportReader extends QueuedSourceReader {

	static final Pattern DAY_FILE = Pattern.compile("(?:.*/)?\\d{4}-\\d{2}-\\d{2}\\.json");

	private static final String INTEGRATION_LOGS = "integration_logs.json";

	private static final Set<String> INTEGRATION_MAPPED = Set.of("user_id", "user_name", "date", "change_type",
			"service_type", "app_type", "reason");

	private final String file;

	private final ExportTree tree;

	private final JsonRecords json = new JsonRecords();

	private final SlackDirectory directory;

	private final SlackMessageMapper mapper;

	private final Iterator<String> entries;

	private final SourceDescription description;

	private final SlackFiles files;

	private final java.util.Map<String, Integer> integrationOccurrences = new java.util.HashMap<>();

	private boolean preamble = true;

	private String entry;

	private String folder;

	private Conversation conversation;

	private JsonRecordSplitter splitter;

	private long recordNumber;

	SlackExportReader(String file, ExportTree tree) throws IOException {
		this.file = file;
		this.tree = tree;
		this.directory = SlackDirectory.read(tree, file, this.json);
		this.files = new SlackFiles(tree, file);
		this.mapper = new SlackMessageMapper(this.directory, this.files, this.json);
		List<String> records = new ArrayList<>();
		List<String> skipped = new ArrayList<>();
		int dayFiles = 0;
		for (String name : tree.names()) {
			if (SlackDirectory.isUpload(name)) {
				continue;
			}
			if (DAY_FILE.matcher(name).matches()) {
				records.add(name);
				dayFiles++;
			}
			else if (SlackDirectory.fileName(name).equals(INTEGRATION_LOGS)) {
				records.add(name);
			}
			else if (name.endsWith(".json") && !SlackDirectory.isMetadata(name)) {
				skipped.add(name);
			}
		}
		this.entries = records.iterator();
		boolean grid = tree.names()
			.stream()
			.anyMatch((name) -> name.endsWith("org_users.json") || name.startsWith("teams/"));
		List<String> notes = new ArrayList<>();
		notes.add((grid ? "Enterprise Grid" : "standard") + " workspace export: " + dayFiles + " day files, "
				+ this.directory.users().size() + " users");
		if (!skipped.isEmpty()) {
			notes.add("JSON files that hold no messages, not read: "
					+ String.join(", ", skipped.subList(0, Math.min(10, skipped.size())))
					+ ((skipped.size() > 10) ? " and " + (skipped.size() - 10) + " more" : ""));
		}
		this.description = new SourceDescription(SourceFormat.SLACK, DateOrder.AUTO, notes);
	}

	@Override
	public SourceDescription description() {
		return this.description;
	}

	@Override
	protected boolean produce() throws IOException {
		if (this.preamble) {
			this.preamble = false;
			for (SafeZip.Refusal refusal : this.tree.refused()) {
				emit(this.tree.quarantined(this.file, refusal.name(), 1, "entry refused: " + refusal.reason()));
			}
			this.directory.problems().forEach(this::emit);
			return true;
		}
		if (this.splitter == null) {
			if (!this.entries.hasNext()) {
				return false;
			}
			openEntry(this.entries.next());
			return true;
		}
		Optional<JsonRecordSplitter.Record> next;
		try {
			next = this.splitter.next();
		}
		catch (IOException ex) {
			emit(new QuarantinedRecord(new SourceLocation(this.file, this.entry, this.recordNumber + 1),
					"the rest of the entry cannot be read: " + ex.getMessage(), new byte[0]));
			closeEntry();
			return true;
		}
		if (next.isEmpty()) {
			closeEntry();
			return true;
		}
		JsonRecordSplitter.Record record = next.get();
		this.recordNumber = record.number();
		emit(handle(record));
		// Damaged files the message shares follow it into quarantine.
		this.files.drainDamaged().forEach(this::emit);
		return true;
	}

	private io.chatvault.message.SourceRecord handle(JsonRecordSplitter.Record record) {
		SourceLocation origin = new SourceLocation(this.file, this.entry, record.number()).withSpan(record.offset(),
				record.raw().length);
		try {
			JsonRecords.Parsed parsed = this.json.parse(record);
			if (!parsed.ok()) {
				return quarantine(origin, parsed.problem(), record);
			}
			String sha = Sha256.hex(record.raw());
			if (this.conversation == null) {
				return integrationLog(parsed.node(), origin, sha, record);
			}
			MappedRecord result = this.mapper.map(parsed.node(), this.conversation, this.folder, origin, sha);
			unreadMessages(parsed.node(), origin);
			return (result.record() != null) ? result.record() : quarantine(origin, result.problem(), record);
		}
		catch (RuntimeException ex) {
			return quarantine(origin, "cannot map the message: " + ex, record);
		}
	}

	private io.chatvault.message.SourceRecord integrationLog(JsonNode node, SourceLocation origin, String sha,
			JsonRecordSplitter.Record record) {
		Optional<Instant> at = JsonRecords.epochSeconds(JsonRecords.text(node, "date"));
		if (!node.isObject() || at.isEmpty()) {
			return quarantine(origin, "an integration log entry without a valid date", record);
		}
		String channel = JsonRecords.text(node, "channel");
		Conversation where = Optional.ofNullable(channel)
			.flatMap(this.directory::conversationById)
			.orElseGet(() -> new Conversation("workspace:integrations", ConversationType.UNKNOWN, "integration log",
					List.of()));
		String change = Optional.ofNullable(JsonRecords.text(node, "change_type")).orElse("changed");
		String service = Optional.ofNullable(JsonRecords.text(node, "service_type", "app_type")).orElse("integration");
		String reason = JsonRecords.text(node, "reason");
		SystemEventType type = switch (change) {
			case "added", "enabled" -> SystemEventType.BOT_ADDED;
			case "removed", "disabled" -> SystemEventType.REMOVED;
			default -> SystemEventType.SETTINGS_CHANGED;
		};
		String body = change + " " + service + ((reason != null) ? " (" + reason + ")" : "");
		ChatRecord.Builder builder = ChatRecord
			.builder(SourcePlatform.SLACK_EXPORT, where, RecordKind.SYSTEM_EVENT, at.get(), origin)
			.body(body)
			.event(new SystemEvent(type, null, body))
			.rawSha256(sha);
		String user = JsonRecords.text(node, "user_id");
		if (user != null) {
			builder.author(this.directory.knownUser(user)
				.orElseGet(() -> new io.chatvault.message.Participant(user,
						Optional.ofNullable(JsonRecords.text(node, "user_name")).orElse(user))));
		}
		this.json.keepUnmapped(node, INTEGRATION_MAPPED, builder);
		builder.extra("change_type", change).extra("service", service);
		// Log entries have no ids: identical ones (same second, user and change) are told
		// apart by their occurrence, so that none is taken for a duplicate.
		builder.occurrence(this.integrationOccurrences.merge(at.get() + "|" + user + "|" + body, 1, Integer::sum) - 1);
		return builder.build();
	}

	/**
	 * Quarantines the messages nested in a message that nothing reads (after it, since
	 * they are queued before the message's own record is returned, and the order of a
	 * record and its nested ones does not matter to the vault).
	 */
	private void unreadMessages(JsonNode node, SourceLocation origin) {
		String container = "message " + Optional.ofNullable(JsonRecords.text(node, "ts")).orElse("without a ts");
		for (UnreadMessageArrays.Found found : UnreadMessageArrays.find(node, SlackMessageMapper::messageShaped,
				SlackMessageMapper.NESTED_READ)) {
			for (int i = 0; i < found.messages().size(); i++) {
				emit(new QuarantinedRecord(origin, found.reason(i, container, "slack"),
						this.json.toJsonBytes(found.messages().get(i))));
			}
		}
	}

	private QuarantinedRecord quarantine(SourceLocation origin, String reason, JsonRecordSplitter.Record record) {
		return new QuarantinedRecord(origin, reason, record.raw(), record.rawLength());
	}

	private void openEntry(String name) {
		this.entry = name;
		this.recordNumber = 0;
		boolean logs = SlackDirectory.fileName(name).equals(INTEGRATION_LOGS);
		this.folder = SlackDirectory.folderOf(name);
		this.conversation = logs ? null : this.directory.conversationOfFolder(this.folder);
		Optional<String> damage = this.tree.damage(name);
		if (damage.isPresent()) {
			// Checked before a record is read: what a damaged entry says cannot be taken
			// back once archived.
			emit(this.tree.quarantined(this.file, name, 1, "entry damaged: " + damage.get()));
			this.splitter = null;
			return;
		}
		try {
			InputStream in = this.tree.open(name);
			this.splitter = new JsonRecordSplitter(in);
		}
		catch (IOException ex) {
			emit(new QuarantinedRecord(new SourceLocation(this.file, name, 1),
					"entry cannot be read: " + ex.getMessage(), new byte[0]));
			this.splitter = null;
		}
	}

	private void closeEntry() {
		try {
			this.splitter.close();
		}
		catch (IOException ex) {
			// Everything was read; a failing close of an input stream loses nothing.
		}
		this.splitter = null;
	}

	@Override
	public void close() throws IOException {
		try {
			if (this.splitter != null) {
				this.splitter.close();
			}
		}
		finally {
			this.tree.close();
		}
	}

}
