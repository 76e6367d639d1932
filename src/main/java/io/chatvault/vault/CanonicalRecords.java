package io.chatvault.vault;

import io.chatvault.message.ChatRecord;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The canonical form of a record: deterministic JSON (properties and map entries sorted,
 * instants as ISO-8601 text, UTF-8), so that the same record always yields the same bytes
 * and the same SHA-256. {@code Attachment.content} is left out: it names a path on the
 * importing machine, not evidence. A mapper of its own, so that application-wide Jackson
 * settings can never change the hashes of what is already archived.
 */
final class CanonicalRecords {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	byte[] canonical(ChatRecord record) {
		return this.mapper.writeValueAsBytes(record);
	}

	JsonMapper mapper() {
		return this.mapper;
	}

}
