package io.chatvault.vault;

import java.nio.file.Path;
import java.util.Objects;

import io.chatvault.message.SourcePlatform;

/**
 * An export handed to the vault to be received: {@link Vault#receive} hashes every file
 * of it and seals the receipt; {@link Vault#storeOriginals} later keeps every file
 * bit-exact.
 *
 * @param export a file, a zip or a directory
 * @param custodian who handed it over
 * @param intakeKey unique per receiving (a job instance and its partition): receiving
 * again under the same key returns the same receipt
 * @param format the source format it is read as ({@code whatsapp}), or an empty string
 * @param source its source platform, for retention, or {@code null} when unknown
 */
public record ExportSubmission(Path export, String custodian, String intakeKey, String format, SourcePlatform source) {

	public ExportSubmission {
		Objects.requireNonNull(export, "export");
		Objects.requireNonNull(custodian, "custodian");
		Objects.requireNonNull(intakeKey, "intakeKey");
		format = (format != null) ? format : "";
	}

}
