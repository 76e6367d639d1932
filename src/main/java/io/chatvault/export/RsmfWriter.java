package io.chatvault.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Edit;
import io.chatvault.message.Participant;
import io.chatvault.message.Reaction;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SystemEventType;
import io.chatvault.vault.ArchivedRecord;
import io.chatvault.vault.HeldConversation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one conversation holding as RSMF 2.0 files (Relativity Short Message Format):
 * each an RFC 5322 message ({@code .rsmf}) with the {@code X-RSMF-*} headers, a text
 * preview, and {@code rsmf.zip} attached, holding {@code rsmf_manifest.json} and the
 * attachments' original bytes. A file holds at most {@code max-events} events and stays
 * under {@code max-bytes}; the next event starts the next file.
 */
final class RsmfWriter {

	static final String MANIFEST = "rsmf_manifest.json";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ExportDirectory directory;

	private final String baseName;

	private final HeldConversation holding;

	private final MediaSource media;

	private final int maxEvents;

	private final long maxBytes;

	private final Path scratch;

	private final List<ArchivedRecord> pending = new ArrayList<>();

	private long pendingBytes;

	private int part;

	private final List<String> written = new ArrayList<>();

	/** Opens the stored original of an attachment. */
	@FunctionalInterface
	interface MediaSource {

		Optional<InputStream> open(String sha256) throws IOException;

	}

	RsmfWriter(ExportDirectory directory, String baseName, HeldConversation holding, MediaSource media, int maxEvents,
			long maxBytes, Path scratch) {
		this.directory = directory;
		this.baseName = baseName;
		this.holding = holding;
		this.media = media;
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
		this.scratch = scratch;
	}

	/**
	 * Adds a record; writes the current file first when the record would not fit.
	 * @param record the record
	 * @return the RSMF file (relative path) the record will be in
	 */
	String add(ArchivedRecord record) throws IOException {
		long size = estimate(record);
		if (!this.pending.isEmpty()
				&& (this.pending.size() >= this.maxEvents || this.pendingBytes + size > this.maxBytes)) {
			flush();
		}
		this.pending.add(record);
		this.pendingBytes += size;
		return fileName(this.part + 1);
	}

	/** Writes what is pending. */
	List<String> finish() throws IOException {
		if (!this.pending.isEmpty()) {
			flush();
		}
		return this.written;
	}

	/** Base64 makes 4 bytes of 3; the manifest and headers are generously counted. */
	private static long estimate(ArchivedRecord record) {
		long bytes = 2L * record.canonical().length + 512;
		for (Attachment attachment : record.record().attachments()) {
			if (attachment.status() == AttachmentStatus.PRESENT && attachment.size() > 0) {
				bytes += attachment.size();
			}
		}
		return bytes * 4 / 3 + 4;
	}

	private String fileName(int number) {
		return "rsmf/" + this.baseName + String.format(Locale.ROOT, "_%04d.rsmf", number);
	}

	private void flush() throws IOException {
		this.part++;
		String name = fileName(this.part);
		Path zip = Files.createTempFile(this.scratch, "rsmf", ".zip");
		try {
			Map<String, Object> manifest = manifest(this.pending);
			try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
				out.putNextEntry(new ZipEntry(MANIFEST));
				out.write(JSON.writeValueAsBytes(manifest));
				out.closeEntry();
				java.util.Set<String> added = new java.util.HashSet<>();
				for (ArchivedRecord record : this.pending) {
					for (Attachment attachment : record.record().attachments()) {
						String id = attachmentId(attachment);
						if (id == null || !added.add(id)) {
							continue;
						}
						Optional<InputStream> bytes = this.media.open(attachment.sha256());
						if (bytes.isEmpty()) {
							continue;
						}
						out.putNextEntry(new ZipEntry(id));
						try (InputStream in = bytes.get()) {
							in.transferTo(out);
						}
						out.closeEntry();
					}
				}
			}
			Instant begin = this.pending.get(0).record().sentAt();
			Instant end = this.pending.get(this.pending.size() - 1).record().sentAt();
			ChatRecord first = this.pending.get(0).record();
			String display = display(first);
			try (OutputStream file = this.directory.create(name)) {
				Mime mime = new Mime(file);
				mime.address("From", "ChatVault export", "export@chatvault.invalid")
					.address("To", this.holding.custodian(), "custodian@chatvault.invalid")
					.header("Subject", display + " (" + this.holding.source() + ")")
					.header("Date", Mime.date(begin))
					.header("X-RSMF-Version", "2.0.0")
					.header("X-RSMF-Generator", "ChatVault")
					.header("X-RSMF-EventCount", Integer.toString(this.pending.size()))
					.header("X-RSMF-BeginDate", begin.toString())
					.header("X-RSMF-EndDate", end.toString())
					.startMultipart()
					.text(preview(display))
					.attachment("rsmf.zip", "application/zip", Files.newInputStream(zip))
					.end();
			}
			this.written.add(name);
		}
		finally {
			Files.deleteIfExists(zip);
		}
		this.pending.clear();
		this.pendingBytes = 0;
	}

	private String preview(String display) {
		StringBuilder text = new StringBuilder(display).append("\n\n");
		for (ArchivedRecord archived : this.pending) {
			ChatRecord record = archived.record();
			text.append(record.sentAt())
				.append(' ')
				.append(record.optionalAuthor().map(Participant::displayName).orElse("-"))
				.append(": ")
				.append(record.body())
				.append('\n');
		}
		return text.toString();
	}

	private static String display(ChatRecord record) {
		String name = record.conversation().name();
		return (name != null && !name.isBlank()) ? name : record.conversation().id();
	}

	/** The attachment's file name in rsmf.zip: unique by content, readable by name. */
	static String attachmentId(Attachment attachment) {
		if (attachment.status() != AttachmentStatus.PRESENT || attachment.sha256() == null) {
			return null;
		}
		return attachment.sha256().substring(0, 16) + "_" + ExportNames.safe(attachment.name(), 80);
	}

	private Map<String, Object> manifest(List<ArchivedRecord> records) {
		Map<String, Map<String, Object>> participants = new TreeMap<>();
		List<Map<String, Object>> events = new ArrayList<>();
		ChatRecord first = records.get(0).record();
		String conversationId = this.holding.source() + ":" + this.holding.conversationId();
		List<String> conversationParticipants = new ArrayList<>();
		for (Participant participant : first.conversation().participants()) {
			participant(participants, participant);
			if (!conversationParticipants.contains(participant.id())) {
				conversationParticipants.add(participant.id());
			}
		}
		for (ArchivedRecord archived : records) {
			ChatRecord record = archived.record();
			Map<String, Object> event = new LinkedHashMap<>();
			event.put("id", archived.messageId());
			event.put("type", eventType(record));
			if (record.author() != null) {
				event.put("participant", participant(participants, record.author()));
				if (!conversationParticipants.contains(record.author().id())) {
					conversationParticipants.add(record.author().id());
				}
			}
			event.put("conversation", conversationId);
			event.put("timestamp", record.sentAt().toString());
			event.put("body", record.body());
			if (record.deleted()) {
				event.put("deleted", true);
			}
			List<Map<String, Object>> attachments = new ArrayList<>();
			for (Attachment attachment : record.attachments()) {
				String id = attachmentId(attachment);
				if (id != null) {
					Map<String, Object> json = new LinkedHashMap<>();
					json.put("id", id);
					json.put("display", attachment.name());
					if (attachment.size() >= 0) {
						json.put("size", attachment.size());
					}
					attachments.add(json);
				}
			}
			if (!attachments.isEmpty()) {
				event.put("attachments", attachments);
			}
			List<Map<String, Object>> edits = new ArrayList<>();
			for (Edit edit : record.edits()) {
				Participant by = (edit.editedBy() != null) ? edit.editedBy() : record.author();
				if (by == null || edit.previousBody() == null) {
					continue;
				}
				Map<String, Object> json = new LinkedHashMap<>();
				json.put("participant", participant(participants, by));
				if (edit.editedAt() != null) {
					json.put("timestamp", edit.editedAt().toString());
				}
				json.put("previous", edit.previousBody());
				edits.add(json);
			}
			if (!edits.isEmpty()) {
				event.put("edits", edits);
			}
			Map<String, List<String>> reactions = new LinkedHashMap<>();
			for (Reaction reaction : record.reactions()) {
				List<String> by = reactions.computeIfAbsent(reaction.emoji(), (k) -> new ArrayList<>());
				if (reaction.by() != null) {
					by.add(participant(participants, reaction.by()));
				}
			}
			if (!reactions.isEmpty()) {
				List<Map<String, Object>> json = new ArrayList<>();
				reactions.forEach((emoji, by) -> {
					Map<String, Object> reaction = new LinkedHashMap<>();
					reaction.put("value", emoji);
					reaction.put("count", Math.max(by.size(), 1));
					if (!by.isEmpty()) {
						reaction.put("participants", by);
					}
					json.add(reaction);
				});
				event.put("reactions", json);
			}
			List<Map<String, Object>> custom = new ArrayList<>();
			custom(custom, "chatvault_message_id", archived.messageId());
			custom(custom, "chatvault_kind", record.kind().name().toLowerCase(Locale.ROOT));
			custom(custom, "custodian", archived.conversation().custodian());
			custom(custom, "source_message_id", record.platformMessageId());
			custom(custom, "thread_id", record.threadId());
			custom(custom, "reply_to_id", record.replyToId());
			custom(custom, "target_message_id", record.targetMessageId());
			for (Attachment attachment : record.attachments()) {
				if (attachmentId(attachment) == null) {
					custom(custom, "attachment_not_stored",
							attachment.name() + " (" + attachment.status().name().toLowerCase(Locale.ROOT) + ")");
				}
			}
			if (record.event() != null) {
				custom(custom, "system_event", record.event().type().name().toLowerCase(Locale.ROOT));
				custom(custom, "system_event_detail", record.event().detail());
			}
			event.put("custom", custom);
			events.add(event);
		}
		Map<String, Object> conversation = new LinkedHashMap<>();
		conversation.put("id", conversationId);
		conversation.put("display", display(first));
		conversation.put("platform", platform(this.holding.source()));
		conversation.put("type", (first.conversation().type() == ConversationType.DIRECT) ? "direct" : "channel");
		conversation.put("participants", conversationParticipants);
		Map<String, Object> manifest = new LinkedHashMap<>();
		manifest.put("version", "2.0.0");
		manifest.put("participants", new ArrayList<>(participants.values()));
		manifest.put("conversations", List.of(conversation));
		manifest.put("events", events);
		return manifest;
	}

	private static String participant(Map<String, Map<String, Object>> participants, Participant participant) {
		participants.computeIfAbsent(participant.id(), (id) -> {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("id", id);
			json.put("display", participant.displayName());
			json.put("account_id", id);
			return json;
		});
		return participant.id();
	}

	private static void custom(List<Map<String, Object>> custom, String name, String value) {
		if (value != null && !value.isEmpty()) {
			custom.add(Map.of("name", name, "value", value));
		}
	}

	private static String eventType(ChatRecord record) {
		if (record.kind() == RecordKind.MESSAGE) {
			return "message";
		}
		if (record.kind() == RecordKind.SYSTEM_EVENT && record.event() != null) {
			SystemEventType type = record.event().type();
			if (type == SystemEventType.JOINED || type == SystemEventType.ADDED) {
				return "join";
			}
			if (type == SystemEventType.LEFT || type == SystemEventType.REMOVED) {
				return "leave";
			}
			if (type == SystemEventType.ENCRYPTION_NOTICE) {
				return "disclaimer";
			}
		}
		return "unknown";
	}

	private static String platform(String source) {
		String lower = source.toLowerCase(Locale.ROOT);
		if (lower.startsWith("whatsapp")) {
			return "whatsapp";
		}
		if (lower.startsWith("slack")) {
			return "slack";
		}
		if (lower.startsWith("teams")) {
			return "teams";
		}
		return lower;
	}

}
