package io.chatvault.message;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A file attached to a message.
 *
 * @param name the file name as the source gives it
 * @param mediaType the MIME type, or {@code application/octet-stream} when unknown
 * @param size the size in bytes, or -1 when unknown
 * @param sha256 the lowercase hex SHA-256 of the original bytes, or {@code null} when the
 * bytes are not present
 * @param status whether the bytes are present, omitted by the export, or only referenced
 * @param reference a URL or external reference (Slack url_private, SharePoint
 * contentUrl), or {@code null}
 * @param content where to read the bytes again when {@link AttachmentStatus#PRESENT},
 * else {@code null}; not part of the canonical record (it names a path on the importing
 * machine)
 */
public record Attachment(String name, String mediaType, long size, String sha256, AttachmentStatus status,
		String reference, @JsonIgnore ContentLocator content) {

	public Attachment {
		Objects.requireNonNull(name, "name");
		mediaType = (mediaType != null) ? mediaType : "application/octet-stream";
		Objects.requireNonNull(status, "status");
	}

}
