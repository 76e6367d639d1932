package io.chatvault.source;

import java.io.IOException;
import java.util.Optional;

/**
 * A zip archive, or one of its entries, that ChatVault refuses to read: a path that
 * escapes the archive, a zip bomb, a corrupt structure. The message names the archive and
 * the entry.
 */
public class SafeZipException extends IOException {

	private final String archive;

	private final String entry;

	private final String reason;

	public SafeZipException(String archive, String entry, String reason) {
		this(archive, entry, reason, null);
	}

	public SafeZipException(String archive, String entry, String reason, Throwable cause) {
		super(((entry == null || entry.isEmpty()) ? archive : archive + "!" + entry) + ": " + reason, cause);
		this.archive = archive;
		this.entry = (entry != null) ? entry : "";
		this.reason = reason;
	}

	/** What is wrong, without the archive and entry names. */
	public String reason() {
		return this.reason;
	}

	/** The archive, as given to {@link SafeZip#open(java.nio.file.Path)}. */
	public String archive() {
		return this.archive;
	}

	/** The entry the problem is about, if it is about one entry. */
	public Optional<String> entry() {
		return this.entry.isEmpty() ? Optional.empty() : Optional.of(this.entry);
	}

}
