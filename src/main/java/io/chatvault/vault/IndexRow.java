package io.chatvault.vault;

import java.time.Instant;

/**
 * The index row of one archived record ({@code vault_message}): where its sealed bytes
 * are, their hashes, and metadata. Never the text.
 *
 * @param messageId the deterministic id
 * @param packKey the pack object
 * @param offset first byte in the pack
 * @param length sealed length
 * @param recordSha256 hex SHA-256 of the canonical record
 * @param storedSha256 hex SHA-256 of the sealed bytes
 * @param dataKeyId the conversation's data key
 * @param source the source platform
 * @param conversationId the conversation's id
 * @param custodian the custodian it was first archived for
 * @param kind the record kind
 * @param sentAt when it was sent
 * @param platformIdSha256 hex SHA-256 of the platform message id, or {@code null}
 * @param attachments how many attachments the record has
 * @param retainUntil its retain-until
 */
record IndexRow(String messageId, String packKey, long offset, int length, String recordSha256, String storedSha256,
		long dataKeyId, String source, String conversationId, String custodian, String kind, Instant sentAt,
		String platformIdSha256, int attachments, Instant retainUntil) {
}
