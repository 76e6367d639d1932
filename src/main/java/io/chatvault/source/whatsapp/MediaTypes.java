package io.chatvault.source.whatsapp;

import java.util.Locale;
import java.util.Map;

/** The media type of an attachment, from its file extension; WhatsApp gives no other. */
final class MediaTypes {

	private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("jpg", "image/jpeg"),
			Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"), Map.entry("gif", "image/gif"),
			Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"), Map.entry("mp4", "video/mp4"),
			Map.entry("mov", "video/quicktime"), Map.entry("3gp", "video/3gpp"), Map.entry("opus", "audio/ogg"),
			Map.entry("ogg", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
			Map.entry("mp3", "audio/mpeg"), Map.entry("pdf", "application/pdf"), Map.entry("vcf", "text/vcard"),
			Map.entry("txt", "text/plain"), Map.entry("zip", "application/zip"),
			Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
			Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
			Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"));

	private MediaTypes() {
	}

	static String of(String name) {
		int dot = name.lastIndexOf('.');
		if (dot < 0 || dot == name.length() - 1) {
			return "application/octet-stream";
		}
		return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
	}

}
