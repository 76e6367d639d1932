package io.chatvault.vault;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.StatusContributor;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The archive's figures for {@code chatvault status}: records, conversations, custodians,
 * attachment references, bytes in the primary store (packs, media chunks, quarantined
 * input), quarantined records.
 */
class VaultStatus implements StatusContributor {

	private final JdbcTemplate jdbc;

	VaultStatus(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, Object> figures() {
		return this.jdbc.queryForObject("""
				SELECT (SELECT count(*) FROM vault_message),
				       (SELECT count(*) FROM (SELECT DISTINCT source, conversation_id FROM vault_message) c),
				       (SELECT count(*) FROM (SELECT custodian FROM vault_message
				                              UNION SELECT custodian FROM vault_message_custodian) u),
				       (SELECT count(*) FROM vault_message_attachment),
				       (SELECT coalesce(sum(size), 0) FROM vault_pack)
				         + (SELECT coalesce(sum(stored_bytes), 0) FROM vault_media)
				         + (SELECT coalesce(sum(stored_length), 0) FROM vault_quarantine),
				       (SELECT count(*) FROM vault_quarantine)
				""", (rs, row) -> {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("messages", rs.getLong(1));
			figures.put("conversations", rs.getLong(2));
			figures.put("custodians", rs.getLong(3));
			figures.put("attachments", rs.getLong(4));
			figures.put("bytesStored", rs.getLong(5));
			figures.put("quarantined", rs.getLong(6));
			return figures;
		});
	}

}
