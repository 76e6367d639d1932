package io.chatvault.source.teams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.chatvault.source.ChatSource;
import io.chatvault.source.InputFiles;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * Microsoft Teams messages from Microsoft Graph: chatMessage JSON files (arrays, paged
 * responses, REST camelCase or .NET SDK PascalCase), or a directory of them (an export
 * tree, or one file per {@code @odata.nextLink} page), read in path order.
 */
@Component
public class TeamsGraphSource implements ChatSource {

	/** Fields only a chatMessage has, in either spelling. */
	private static final Pattern CHAT_MESSAGE = Pattern.compile(
			"\"(?:messageType|MessageType|chatId|ChatId|channelIdentity|ChannelIdentity)\"\\s*:|#microsoft\\.graph\\.chatMessage|/messages\\(|chatMessage\\)");

	@Override
	public SourceFormat format() {
		return SourceFormat.TEAMS;
	}

	@Override
	public boolean accepts(Path input) {
		if (Files.isDirectory(input)) {
			return !messageFiles(input, new ArrayList<>()).isEmpty();
		}
		return isMessageFile(input);
	}

	static boolean isMessageFile(Path file) {
		String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
		if (!name.endsWith(".json") && !name.endsWith(".jsonl")) {
			return false;
		}
		String head = InputFiles.head(file).replace("\uFEFF", "").stripLeading();
		return (head.startsWith("[") || head.startsWith("{")) && CHAT_MESSAGE.matcher(head).find();
	}

	private static List<Path> messageFiles(Path dir, List<Path> skipped) {
		return InputFiles.select(dir, TeamsGraphSource::isMessageFile, skipped);
	}

	@Override
	public SourceReader open(Path input, SourceOptions options) throws IOException {
		if (!Files.exists(input)) {
			throw new java.nio.file.NoSuchFileException(input.toString());
		}
		List<Path> skipped = new ArrayList<>();
		List<Path> files = Files.isDirectory(input) ? messageFiles(input, skipped) : List.of(input);
		return new TeamsGraphReader(input, files, TeamsGraphReader.notes(files, skipped));
	}

}
