package io.chatvault.source.whatsappcloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.source.ChatSource;
import io.chatvault.source.InputFiles;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * WhatsApp Business Cloud API webhook payloads, as captured by a webhook receiver: one
 * body per file, arrays of bodies, JSON lines, or a directory of such files. Messages,
 * business-app echoes and delivery statuses all become records.
 */
@Component
public class WhatsAppCloudSource implements ChatSource {

	@Override
	public SourceFormat format() {
		return SourceFormat.WHATSAPP_CLOUD;
	}

	@Override
	public boolean accepts(Path input) {
		if (Files.isDirectory(input)) {
			return !InputFiles.select(input, WhatsAppCloudSource::isWebhookFile, new ArrayList<>()).isEmpty();
		}
		return isWebhookFile(input);
	}

	static boolean isWebhookFile(Path file) {
		String head = InputFiles.head(file).replace("\uFEFF", "").stripLeading();
		return (head.startsWith("{") || head.startsWith("["))
				&& (head.contains("\"whatsapp_business_account\"") || head.contains("\"messaging_product\""));
	}

	@Override
	public SourceReader open(Path input, SourceOptions options) throws IOException {
		if (!Files.exists(input)) {
			throw new NoSuchFileException(input.toString());
		}
		List<Path> skipped = new ArrayList<>();
		List<Path> files = InputFiles.select(input, WhatsAppCloudSource::isWebhookFile, skipped);
		List<String> notes = new ArrayList<>();
		notes.add(files.size() + " webhook capture file(s)");
		if (!skipped.isEmpty()) {
			notes.add(skipped.size() + " JSON file(s) without webhook bodies, not read");
		}
		return new WhatsAppCloudReader(input, files, notes);
	}

}
