package io.chatvault.vault;

import java.util.Optional;

import io.chatvault.message.ChatRecord;

/**
 * A record read back from the vault and verified: its block's stored bytes matched the
 * index, the block authenticated under its data key and its place, and the record's
 * deterministic id, recomputed from what was read, is the id asked for.
 *
 * @param messageId the deterministic id
 * @param conversation the conversation as the custodian that first archived the record
 * holds it (further custodians may hold it too)
 * @param record the record ({@code Attachment.content} is {@code null}; {@code rawSha256}
 * is empty when the raw fragment is in a stored original, see {@link #rawFragment()})
 * @param canonical the canonical bytes as stored
 * @param rawFile hex SHA-256 of the stored original holding the raw fragment, or
 * {@code null}
 */
public record ArchivedRecord(String messageId, HeldConversation conversation, ChatRecord record, byte[] canonical,
		String rawFile) {

	/**
	 * Where the record's exact source bytes are, when the export file holding them is
	 * stored.
	 * @return the fragment: file SHA-256, byte offset and length
	 */
	public Optional<RawFragment> rawFragment() {
		if (this.rawFile == null || !this.record.origin().hasSpan()) {
			return Optional.empty();
		}
		return Optional.of(new RawFragment(this.rawFile, this.record.origin().offset(), this.record.origin().length()));
	}

	/**
	 * A record's raw fragment in a stored original.
	 *
	 * @param fileSha256 hex SHA-256 of the export file (a receipt entry)
	 * @param offset the fragment's first byte in it
	 * @param length its length in bytes
	 */
	public record RawFragment(String fileSha256, long offset, long length) {
	}

}
