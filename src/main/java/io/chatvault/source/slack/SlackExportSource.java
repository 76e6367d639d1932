package io.chatvault.source.slack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.chatvault.source.ChatSource;
import io.chatvault.source.SafeZip;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * Slack workspace exports, standard and Enterprise Grid, as the .zip Slack delivers or
 * its unpacked directory. Conversation ids are Slack's channel ids, stable across exports
 * of the same workspace.
 */
@Component
public class SlackExportSource implements ChatSource {

	@Override
	public SourceFormat format() {
		return SourceFormat.SLACK;
	}

	@Override
	public boolean accepts(Path input) {
		if (Files.isDirectory(input)) {
			return hasMetadata(input) || hasMetadata(input.resolve("teams"));
		}
		if (!SafeZip.looksLikeZip(input)) {
			return false;
		}
		try (SafeZip zip = SafeZip.open(input)) {
			return zip.entries()
				.stream()
				.anyMatch((entry) -> SlackDirectory.isMetadata(entry.name()) && entry.name().split("/").length <= 4);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean hasMetadata(Path dir) {
		if (!Files.isDirectory(dir)) {
			return false;
		}
		if (SlackDirectory.USER_FILES.stream().anyMatch((name) -> Files.isRegularFile(dir.resolve(name)))
				|| SlackDirectory.CONVERSATION_FILES.keySet()
					.stream()
					.anyMatch((name) -> Files.isRegularFile(dir.resolve(name)))) {
			return true;
		}
		// Enterprise Grid: teams/<team>/channels.json
		try (var teams = Files.list(dir)) {
			return dir.getFileName() != null && dir.getFileName().toString().equals("teams")
					&& teams.anyMatch((team) -> Files.isRegularFile(team.resolve("channels.json")));
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public SourceReader open(Path input, SourceOptions options) throws IOException {
		ExportTree tree = ExportTree.of(input);
		try {
			return new SlackExportReader(input.toString(), tree);
		}
		catch (IOException | RuntimeException ex) {
			tree.close();
			throw ex;
		}
	}

}
