package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.source.ChatSource;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * Reads WhatsApp "Export chat" files from Android and iOS, in every locale's header form:
 * a chat text file, or a zip holding the chat text and the media. The export carries no
 * time zone, so the custodian's zone from {@link SourceOptions#zone()} reads the times
 * and is recorded with each record; the date order is inferred per file unless
 * {@link SourceOptions#dateOrder()} gives it, and the inference is reported in
 * {@link SourceDescription#notes()}.
 *
 * <p>
 * The input is read twice, both times streaming: a first pass over the headers (date
 * order, authors, group name), then the parse. The conversation id derives from the
 * custodian and the chat's name (from the file name, else the first "created group"
 * subject, else the file name itself), so a later export of the same chat by the same
 * custodian lands in the same conversation.
 */
@Component
public class WhatsAppExportSource implements ChatSource {

	private static final int SNIFF_BYTES = 8192;

	@Override
	public SourceFormat format() {
		return SourceFormat.WHATSAPP;
	}

	@Override
	public boolean accepts(Path input) {
		if (!Files.isRegularFile(input)) {
			return false;
		}
		String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
		try {
			if (name.endsWith(".zip")) {
				try (ZipExport zip = ZipExport.open(input); InputStream in = zip.openChat()) {
					return looksLikeChat(in.readNBytes(SNIFF_BYTES));
				}
			}
			try (InputStream in = Files.newInputStream(input)) {
				return looksLikeChat(in.readNBytes(SNIFF_BYTES));
			}
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Whether one of the first lines is a message header. */
	static boolean looksLikeChat(byte[] head) {
		HeaderScanner scanner = new HeaderScanner();
		int start = 0;
		int lines = 0;
		while (start < head.length && lines < 50) {
			int end = start;
			while (end < head.length && head[end] != '\n') {
				end++;
			}
			if (scanner.scan(head, start, end)) {
				return true;
			}
			start = end + 1;
			lines++;
		}
		return false;
	}

	@Override
	public SourceReader open(Path input, SourceOptions options) throws IOException {
		if (!Files.isRegularFile(input)) {
			throw new IOException("Not a file: " + input);
		}
		boolean zip = input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
		ExportInput export = zip ? ZipExport.open(input) : new TextExport(input);
		try {
			ExportSurvey survey;
			try (InputStream in = export.openChat()) {
				survey = ExportSurvey.of(in, options.dateOrder());
			}
			List<String> notes = new ArrayList<>();
			notes.add(survey.dateOrderNote());
			Conversation conversation = conversation(export, survey, options, notes);
			notes.add("times read in zone " + options.zone().getId() + " (WhatsApp exports carry no zone)");
			if (!export.entry().isEmpty()) {
				notes.add("chat text read from zip entry " + export.entry());
			}
			if (survey.headers() == 0) {
				notes.add("no WhatsApp message header found: every line is quarantined");
			}
			SourceDescription description = new SourceDescription(SourceFormat.WHATSAPP, survey.dateOrder(), notes);
			return new WhatsAppExportReader(export, options.zone(), survey.dateOrder(), conversation, description);
		}
		catch (IOException | RuntimeException ex) {
			export.close();
			throw ex;
		}
	}

	private static Conversation conversation(ExportInput export, ExportSurvey survey, SourceOptions options,
			List<String> notes) {
		Optional<String> fromFileName = export.chatNameFromFileName();
		String name;
		if (fromFileName.isPresent()) {
			name = fromFileName.get();
			notes.add("chat name from the file name: " + name);
		}
		else if (survey.createdSubject().isPresent()) {
			name = survey.createdSubject().get();
			notes.add("chat name from the first \"created group\" line: " + name);
		}
		else {
			name = export.baseName();
			notes.add("chat name not in the export; the file name is used: " + name);
		}
		ConversationType type;
		if (survey.groupEvent()) {
			type = ConversationType.GROUP;
			notes.add("group chat: a system line names a group");
		}
		else if (survey.authors().size() > 2) {
			type = ConversationType.GROUP;
			notes.add("group chat: " + survey.authors().size() + " authors");
		}
		else {
			type = ConversationType.DIRECT;
			notes.add("direct chat: " + survey.authors().size() + " authors and no group system line");
		}
		if (survey.moreAuthors()) {
			notes.add("participants: the first " + ExportSurvey.MAX_AUTHORS + " authors are listed");
		}
		List<Participant> participants = survey.authors().stream().map(Participant::named).toList();
		return new Conversation(conversationId(options.custodian(), name), type, name, participants);
	}

	/** Stable across exports of the same chat by the same custodian. */
	static String conversationId(String custodian, String chatName) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("whatsapp-export".getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(custodian.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(chatName.getBytes(StandardCharsets.UTF_8));
			return "whatsapp-export:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
