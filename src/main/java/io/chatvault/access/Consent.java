package io.chatvault.access;

import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A custodian's signed consent to the archiving of their business chats: which document
 * (a reference into the document store), its SHA-256 (so that the document signed can be
 * proven to be the one referenced), its version, and the day it was signed.
 *
 * @param document reference of the signed document
 * @param sha256 SHA-256 of the document, 64 lowercase hex characters
 * @param version version of the consent text
 * @param signedOn the day it was signed
 */
public record Consent(String document, String sha256, String version, LocalDate signedOn) {

	private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

	public Consent {
		Objects.requireNonNull(signedOn, "signedOn");
		if (document == null || document.isBlank()) {
			throw new IllegalArgumentException("the consent needs the reference of the signed document");
		}
		if (version == null || version.isBlank()) {
			throw new IllegalArgumentException("the consent needs the version of the consent text");
		}
		sha256 = (sha256 != null) ? sha256.trim().toLowerCase(java.util.Locale.ROOT) : "";
		if (!SHA256.matcher(sha256).matches()) {
			throw new IllegalArgumentException(
					"'" + sha256 + "' is not a SHA-256: expected 64 hex characters (sha256sum of the document)");
		}
	}

	byte[] sha256Bytes() {
		return HexFormat.of().parseHex(this.sha256);
	}

}
