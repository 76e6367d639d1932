package io.chatvault.vault;

import io.chatvault.message.ChatRecord;

/**
 * A record ready to be archived, as {@link Vault#prepare} makes it.
 *
 * @param messageId the deterministic id
 * @param custodian the custodian it is archived for
 * @param record the record
 * @param canonical the canonical bytes of the record (what is compressed, sealed and
 * stored)
 * @param recordSha256 hex SHA-256 of {@code canonical}
 * @param rawEntry the receipt entry (export file) holding the record's raw fragment, when
 * the record was prepared with the export's receipt and the reader gave the fragment's
 * byte span; else {@code null}
 */
public record ArchiveRequest(String messageId, String custodian, ChatRecord record, byte[] canonical,
		String recordSha256, ExportReceipt.Entry rawEntry) {

	/**
	 * A request without a raw fragment in a stored original.
	 * @param messageId the deterministic id
	 * @param custodian the custodian
	 * @param record the record
	 * @param canonical its canonical bytes
	 * @param recordSha256 their hex SHA-256
	 */
	public ArchiveRequest(String messageId, String custodian, ChatRecord record, byte[] canonical,
			String recordSha256) {
		this(messageId, custodian, record, canonical, recordSha256, null);
	}

}
