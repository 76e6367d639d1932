package io.chatvault.vault;

/**
 * One entry of a pack's manifest: where a sealed record is in the pack and what it hashes
 * to. Metadata only; the manifest is stored in the clear at the end of the pack so that
 * the index can be rebuilt from the store alone.
 *
 * @param messageId the record's id
 * @param offset its first byte in the pack
 * @param length its sealed length
 * @param recordSha256 hex SHA-256 of the canonical record (the plaintext)
 * @param storedSha256 hex SHA-256 of the sealed bytes
 * @param dataKeyId the data key that sealed it
 */
record PackEntry(String messageId, long offset, int length, String recordSha256, String storedSha256, long dataKeyId) {
}
