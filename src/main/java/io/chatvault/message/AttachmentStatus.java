package io.chatvault.message;

/** Whether an attachment's bytes came with the source. */
public enum AttachmentStatus {

	/** The bytes are in the export; {@link Attachment#content()} locates them. */
	PRESENT,

	/** The export left them out ("&lt;Media omitted&gt;", "image omitted"). */
	OMITTED,

	/** Only a reference (URL, SharePoint item) is known; the bytes live elsewhere. */
	REFERENCE,

	/**
	 * The export holds the bytes, but they failed their check (a zip entry whose CRC-32
	 * does not match, a truncated entry): they are kept in quarantine, with the reason in
	 * {@link Attachment#reference()}, never stored as the attachment.
	 */
	QUARANTINED

}
