package io.chatvault.source.teams;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.chatvault.source.ChatSource;
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

	private static final int SNIFF_BYTES = 64 * 1024;

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
		if (!Files.isRegularFile(file)) {
			return false;
		}
		try (InputStream in = Files.newInputStream(file)) {
			String head = new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8).stripLeading();
			return (head.startsWith("[") || head.startsWith("{") || head.startsWith("\uFEFF"))
					&& CHAT_MESSAGE.matcher(head).find();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static List<Path> messageFiles(Path dir, List<Path> skipped) {
		try (Stream<Path> all = Files.walk(dir)) {
			List<Path> json = all.filter(Files::isRegularFile)
				.filter((file) -> file.getFileName().toString().toLowerCase().endsWith(".json"))
				.sorted()
				.toList();
			List<Path> messages = new ArrayList<>();
			for (Path file : json) {
				(isMessageFile(file) ? messages : skipped).add(file);
			}
			return messages;
		}
		catch (IOException ex) {
			return List.of();
		}
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
