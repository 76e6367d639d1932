package io.chatvault.export;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.chatvault.message.Sha256;

/** File names in an export: safe on every file system, unique where it matters. */
final class ExportNames {

	private ExportNames() {
	}

	/**
	 * A name keeping letters, digits, dots, dashes and underscores, others as {@code _},
	 * at most {@code max} characters.
	 */
	static String safe(String name, int max) {
		String safe = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
		if (safe.isEmpty()) {
			safe = "_";
		}
		return (safe.length() > max) ? safe.substring(safe.length() - max) : safe;
	}

	/** A readable and unique base name for a conversation holding. */
	static String holding(String source, String conversationId, String custodian) {
		String hash = HexFormat.of()
			.formatHex(Sha256.digest()
				.digest((source + "\u0000" + conversationId + "\u0000" + custodian).getBytes(StandardCharsets.UTF_8)))
			.substring(0, 10);
		return safe(custodian, 40) + "_" + safe(source, 24) + "_" + safe(conversationId, 40) + "_" + hash;
	}

}
