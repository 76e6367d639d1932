package io.chatvault.message;

/** Whether an attachment's bytes came with the source. */
public enum AttachmentStatus {

	/** The bytes are in the export; {@link Attachment#content()} locates them. */
	PRESENT,

	/** The export left them out ("&lt;Media omitted&gt;", "image omitted"). */
	OMITTED,

	/** Only a reference (URL, SharePoint item) is known; the bytes live elsewhere. */
	REFERENCE

}
