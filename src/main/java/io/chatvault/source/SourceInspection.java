package io.chatvault.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.chatvault.message.Attachment;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Participant;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceRecord;

/**
 * What {@code chatvault inspect} finds in an input: counts by kind, attachments by
 * status, participants, the time span, and the first quarantined records with their
 * reasons. Fed one record at a time, so any size of input is inspected in flat memory
 * (participants and conversations aside).
 *
 * <p>
 * {@code messages} counts authored messages, deleted ones included; {@code events} counts
 * system lines and membership events. Edits, deletions, reactions and statuses that a
 * source reports as records of their own (Slack {@code message_changed}, webhook
 * reactions and statuses) are neither: they are counted under {@code changes}.
 */
public final class SourceInspection {

	private static final int RAW_PREVIEW_CHARS = 200;

	private final int maxQuarantinedShown;

	private final Map<RecordKind, Long> kinds = new EnumMap<>(RecordKind.class);

	private final Map<String, Long> attachments = new LinkedHashMap<>();

	private final Set<String> participants = new LinkedHashSet<>();

	private final Set<String> conversations = new LinkedHashSet<>();

	private final List<Map<String, Object>> firstQuarantined = new ArrayList<>();

	private long quarantined;

	private Instant first;

	private Instant last;

	/**
	 * An empty inspection.
	 * @param maxQuarantinedShown how many quarantined records to keep for the report
	 */
	public SourceInspection(int maxQuarantinedShown) {
		this.maxQuarantinedShown = maxQuarantinedShown;
		for (RecordKind kind : RecordKind.values()) {
			this.kinds.put(kind, 0L);
		}
		this.attachments.put("present", 0L);
		this.attachments.put("omitted", 0L);
		this.attachments.put("reference", 0L);
	}

	/**
	 * Reads a whole input.
	 * @param reader an open reader
	 * @param maxQuarantinedShown how many quarantined records to keep for the report
	 * @return the inspection, and the reader's description once it has read everything
	 */
	public static Result inspect(SourceReader reader, int maxQuarantinedShown) {
		SourceInspection inspection = new SourceInspection(maxQuarantinedShown);
		reader.forEachRemaining(inspection::add);
		return new Result(inspection, reader.description());
	}

	/**
	 * Counts one record.
	 * @param record a parsed or quarantined record
	 */
	public void add(SourceRecord record) {
		if (record instanceof QuarantinedRecord quarantine) {
			this.quarantined++;
			if (this.firstQuarantined.size() < this.maxQuarantinedShown) {
				Map<String, Object> shown = new LinkedHashMap<>();
				shown.put("at", quarantine.origin().toString());
				shown.put("reason", quarantine.reason());
				String raw = new String(quarantine.raw(), StandardCharsets.UTF_8);
				shown.put("raw", (raw.length() > RAW_PREVIEW_CHARS) ? raw.substring(0, RAW_PREVIEW_CHARS) + "…" : raw);
				this.firstQuarantined.add(shown);
			}
			return;
		}
		ChatRecord chat = (ChatRecord) record;
		this.kinds.merge(chat.kind(), 1L, Long::sum);
		this.conversations.add(chat.conversation().id());
		chat.optionalAuthor().map(Participant::displayName).ifPresent(this.participants::add);
		if (chat.event() != null && chat.event().subject() != null) {
			this.participants.add(chat.event().subject().displayName());
		}
		for (Attachment attachment : chat.attachments()) {
			this.attachments.merge(attachment.status().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
		}
		if (this.first == null || chat.sentAt().isBefore(this.first)) {
			this.first = chat.sentAt();
		}
		if (this.last == null || chat.sentAt().isAfter(this.last)) {
			this.last = chat.sentAt();
		}
	}

	public long count(RecordKind kind) {
		return this.kinds.get(kind);
	}

	public long quarantined() {
		return this.quarantined;
	}

	public long attachments(String status) {
		return this.attachments.getOrDefault(status, 0L);
	}

	public Set<String> participants() {
		return Set.copyOf(this.participants);
	}

	/**
	 * The report as the ordered map printed by {@code inspect --json}.
	 * @param description what the reader found out
	 * @return the report
	 */
	public Map<String, Object> report(SourceDescription description) {
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("format", description.format().key());
		report.put("dateOrder", dateOrderKey(description.dateOrder()));
		report.put("messages", count(RecordKind.MESSAGE));
		report.put("events", count(RecordKind.SYSTEM_EVENT));
		Map<String, Long> changes = new LinkedHashMap<>();
		changes.put("edits", count(RecordKind.EDIT));
		changes.put("deletions", count(RecordKind.DELETION));
		changes.put("reactions", count(RecordKind.REACTION));
		changes.put("statuses", count(RecordKind.STATUS));
		report.put("changes", changes);
		report.put("attachments", new LinkedHashMap<>(this.attachments));
		report.put("quarantined", this.quarantined);
		report.put("conversations", (long) this.conversations.size());
		report.put("participants", List.copyOf(this.participants));
		report.put("first", (this.first != null) ? this.first.toString() : null);
		report.put("last", (this.last != null) ? this.last.toString() : null);
		report.put("notes", description.notes());
		report.put("firstQuarantined", List.copyOf(this.firstQuarantined));
		return report;
	}

	/** "day-first", or null where the format has no date order. */
	static String dateOrderKey(DateOrder order) {
		return (order == DateOrder.AUTO) ? null : order.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * An inspection and the description of what was inspected.
	 *
	 * @param inspection the counts
	 * @param description the reader's description
	 */
	public record Result(SourceInspection inspection, SourceDescription description) {

		public Map<String, Object> report() {
			return this.inspection.report(this.description);
		}

	}

}
