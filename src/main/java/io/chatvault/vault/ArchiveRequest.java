package io.chatvault.vault;

import io.chatvault.message.ChatRecord;

/**
 * A record ready to be archived.
 *
 * @param messageId the deterministic id
 * @param custodian the custodian it is archived for
 * @param record the record
 * @param canonical the canonical bytes of the record (what is encrypted and stored)
 * @param recordSha256 hex SHA-256 of {@code canonical}
 */
public record ArchiveRequest(String messageId, String custodian, ChatRecord record, byte[] canonical,
		String recordSha256) {
}
