package io.chatvault.source;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The input formats ChatVault reads; {@code format=} on the command line names one of
 * them.
 */
public enum SourceFormat {

	/** WhatsApp "Export chat": a .txt, or a .zip holding the .txt and the media. */
	WHATSAPP("whatsapp"),

	/**
	 * Slack workspace export .zip (standard or Enterprise Grid), or its unpacked
	 * directory.
	 */
	SLACK("slack"),

	/**
	 * Microsoft Teams Graph chatMessage JSON: arrays or paged {"value": [...]} responses.
	 */
	TEAMS("teams"),

	/**
	 * WhatsApp Business Cloud API webhook payloads (JSON, one POST body per file or
	 * line).
	 */
	WHATSAPP_CLOUD("whatsapp-cloud");

	private final String key;

	SourceFormat(String key) {
		this.key = key;
	}

	/** The name used on the command line and in reports. */
	public String key() {
		return this.key;
	}

	public static Optional<SourceFormat> fromKey(String key) {
		String wanted = key.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((format) -> format.key.equals(wanted)).findFirst();
	}

}
