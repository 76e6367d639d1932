package io.chatvault.source.slack;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.JsonRecordSplitter;
import io.chatvault.source.JsonRecords;
import io.chatvault.message.Sha256;

/**
 * Who and where in a Slack export: users (users.json, Enterprise Grid org_users.json) and
 * conversations (channels.json, groups.json, dms.json, mpims.json), each list scoped to
 * the folder it sits in, so that the nested teams of a Grid export resolve their own
 * channel folders. Entries are streamed one at a time; only ids and names are kept.
 */
final class SlackDirectory {

	static final Set<String> USER_FILES = Set.of("users.json", "org_users.json");

	static final Map<String, ConversationType> CONVERSATION_FILES = Map.of("channels.json", ConversationType.CHANNEL,
			"groups.json", ConversationType.PRIVATE_CHANNEL, "dms.json", ConversationType.DIRECT, "mpims.json",
			ConversationType.GROUP);

	private final Map<String, Participant> users = new HashMap<>();

	/** Scope folder ("" or "teams/T1/") + conversation folder name to conversation. */
	private final Map<String, Conversation> byFolder = new HashMap<>();

	private final Map<String, Conversation> byId = new HashMap<>();

	private final List<QuarantinedRecord> problems = new ArrayList<>();

	private final Map<String, Conversation> unlisted = new HashMap<>();

	private final Map<String, Conversation> resolved = new HashMap<>();

	static boolean isMetadata(String name) {
		if (isUpload(name)) {
			return false;
		}
		String file = fileName(name);
		return USER_FILES.contains(file) || CONVERSATION_FILES.containsKey(file);
	}

	/**
	 * Whether an entry is an uploaded file's bytes: uploads may be named like metadata
	 * ("channels.json" shared as a snippet) and must never be read as such.
	 */
	static boolean isUpload(String name) {
		return name.startsWith("__uploads/") || name.contains("/__uploads/");
	}

	static String fileName(String name) {
		int slash = name.lastIndexOf('/');
		return (slash >= 0) ? name.substring(slash + 1) : name;
	}

	static String folderOf(String name) {
		int slash = name.lastIndexOf('/');
		return (slash >= 0) ? name.substring(0, slash + 1) : "";
	}

	/**
	 * Reads every metadata file of an export.
	 * @param tree the export
	 * @param file the input, for quarantine locations
	 * @param json the JSON reader
	 * @return the directory
	 * @throws IOException if the export cannot be read
	 */
	static SlackDirectory read(ExportTree tree, String file, JsonRecords json) throws IOException {
		SlackDirectory directory = new SlackDirectory();
		// Users first: conversation members resolve to names.
		for (String name : tree.names()) {
			if (isMetadata(name) && USER_FILES.contains(fileName(name))) {
				directory.readList(tree, file, name, json, directory::addUser);
			}
		}
		for (String name : tree.names()) {
			ConversationType type = isMetadata(name) ? CONVERSATION_FILES.get(fileName(name)) : null;
			if (type != null) {
				String scope = folderOf(name);
				directory.readList(tree, file, name, json, (node) -> directory.addConversation(scope, type, node));
			}
		}
		return directory;
	}

	private void readList(ExportTree tree, String file, String name, JsonRecords json, Entry handler)
			throws IOException {
		long number = 0;
		Optional<String> damage = tree.damage(name);
		if (damage.isPresent()) {
			// Names read from a damaged list would be archived as authors: check first.
			this.problems.add(tree.quarantined(file, name, 1, "cannot read " + name + ": " + damage.get()));
			return;
		}
		try (InputStream in = tree.open(name); JsonRecordSplitter splitter = new JsonRecordSplitter(in)) {
			Optional<JsonRecordSplitter.Record> next;
			while ((next = splitter.next()).isPresent()) {
				JsonRecordSplitter.Record record = next.get();
				number = record.number();
				JsonRecords.Parsed parsed = json.parse(record);
				String problem = parsed.ok() ? handler.accept(parsed.node()) : parsed.problem();
				if (problem != null) {
					this.problems.add(new QuarantinedRecord(new SourceLocation(file, name, record.number()),
							"in " + fileName(name) + ": " + problem, record.raw(), record.rawLength()));
				}
			}
		}
		catch (IOException ex) {
			this.problems.add(new QuarantinedRecord(new SourceLocation(file, name, number + 1),
					"cannot read " + name + ": " + ex.getMessage(), new byte[0]));
		}
	}

	private String addUser(JsonNode node) {
		String id = JsonRecords.text(node, "id");
		if (id == null) {
			return "a user without an id";
		}
		this.users.put(id, new Participant(id, displayName(node, id)));
		return null;
	}

	static String displayName(JsonNode user, String fallback) {
		JsonNode profile = user.path("profile");
		for (String candidate : new String[] { JsonRecords.text(user, "real_name"),
				JsonRecords.text(profile, "real_name"), JsonRecords.text(profile, "display_name"),
				JsonRecords.text(user, "name") }) {
			if (candidate != null && !candidate.isBlank()) {
				return candidate;
			}
		}
		return fallback;
	}

	private String addConversation(String scope, ConversationType type, JsonNode node) {
		String id = JsonRecords.text(node, "id");
		if (id == null) {
			return "a conversation without an id";
		}
		String name = JsonRecords.text(node, "name");
		List<Participant> members = new ArrayList<>();
		JsonNode list = node.path("members");
		if (list.isArray()) {
			for (JsonNode member : list) {
				if (member.isString()) {
					members.add(user(member.stringValue()));
				}
			}
		}
		if (type == ConversationType.DIRECT && name == null) {
			name = String.join(", ", members.stream().map(Participant::displayName).toList());
		}
		Conversation conversation = new Conversation(id, type, name, members);
		this.byId.put(id, conversation);
		// DMs are exported in a folder named by their id; the rest by their name.
		this.byFolder.put(scope + id, conversation);
		if (JsonRecords.text(node, "name") != null) {
			this.byFolder.put(scope + JsonRecords.text(node, "name"), conversation);
		}
		return null;
	}

	Participant user(String id) {
		return this.users.computeIfAbsent(id, (key) -> new Participant(key, key));
	}

	Optional<Participant> knownUser(String id) {
		return Optional.ofNullable(this.users.get(id));
	}

	Optional<Conversation> conversationById(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	/**
	 * The conversation of a day file's folder ("general/" in scope "", or
	 * "teams/T1/general/").
	 * @param folder the folder path with its trailing slash
	 * @return the listed conversation; or, for a folder no list names, one whose id is
	 * derived from the folder path (stable across exports of the same workspace)
	 */
	Conversation conversationOfFolder(String folder) {
		return this.resolved.computeIfAbsent(folder, this::resolveFolder);
	}

	private Conversation resolveFolder(String folder) {
		String path = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
		Conversation listed = this.byFolder.get(path);
		if (listed != null) {
			return listed;
		}
		String name = fileName(path);
		// A folder outside its list's scope (a partial Grid export): the name decides.
		for (Map.Entry<String, Conversation> entry : this.byFolder.entrySet()) {
			if (fileName(entry.getKey()).equals(name)) {
				return entry.getValue();
			}
		}
		return this.unlisted.computeIfAbsent(path,
				(key) -> new Conversation("folder:" + key, ConversationType.UNKNOWN, name, List.of()));
	}

	List<QuarantinedRecord> problems() {
		return this.problems;
	}

	List<Participant> users() {
		return List.copyOf(this.users.values());
	}

	static String hash(byte[] raw) {
		return Sha256.hex(raw);
	}

	@FunctionalInterface
	private interface Entry {

		/** Returns the problem, or null if the entry was taken. */
		String accept(JsonNode node);

	}

}
