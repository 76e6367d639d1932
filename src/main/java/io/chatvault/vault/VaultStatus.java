package io.chatvault.vault;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chatvault.cli.StatusContributor;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The archive's figures for {@code chatvault status}: records by kind (messages, system
 * events, and the change records: edits, deletions, reactions, statuses), conversations,
 * custodians, attachment references, receipts, bytes in the primary store (packs,
 * receipts, quarantined input) and quarantined records. Record counts come from the
 * per-chunk counts in {@code vault_message_count}, not from counting the index.
 */
class VaultStatus implements StatusContributor {

	private final JdbcTemplate jdbc;

	VaultStatus(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, Object> figures() {
		long[] kinds = new long[6];
		this.jdbc.query("SELECT kind, sum(records) FROM vault_message_count GROUP BY kind", (rs) -> {
			int kind = rs.getInt(1);
			if (kind >= 0 && kind < kinds.length) {
				kinds[kind] = rs.getLong(2);
			}
		});
		return this.jdbc.queryForObject("""
				SELECT (SELECT count(*) FROM (SELECT DISTINCT source, conversation_id FROM vault_conversation) c),
				       (SELECT count(*) FROM vault_custodian k WHERE EXISTS (SELECT 1 FROM vault_conversation c
				                                                             WHERE c.custodian_id = k.id)),
				       (SELECT count(*) FROM vault_message_attachment),
				       (SELECT count(*) FROM vault_receipt WHERE object_key <> ''),
				       (SELECT coalesce(sum(size), 0) FROM vault_pack)
				         + (SELECT coalesce(sum(stored_length), 0) FROM vault_receipt)
				         + (SELECT coalesce(sum(stored_length), 0) FROM vault_quarantine),
				       (SELECT count(*) FROM vault_quarantine)
				""", (rs, row) -> {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("messages", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.MESSAGE)]);
			figures.put("systemEvents", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.SYSTEM_EVENT)]);
			figures.put("edits", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.EDIT)]);
			figures.put("deletions", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.DELETION)]);
			figures.put("reactions", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.REACTION)]);
			figures.put("statuses", kinds[MessageIndex.kindCode(io.chatvault.message.RecordKind.STATUS)]);
			figures.put("conversations", rs.getLong(1));
			figures.put("custodians", rs.getLong(2));
			figures.put("attachments", rs.getLong(3));
			figures.put("receipts", rs.getLong(4));
			figures.put("bytesStored", rs.getLong(5));
			figures.put("quarantined", rs.getLong(6));
			return figures;
		});
	}

}
