package io.chatvault.vault;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import io.chatvault.cli.Command;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.CommandLine;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault source <message-id>}: prints a message's exact source bytes (see
 * {@link MessageSources}).
 */
@Component
class SourceCommand implements Command {

	private final MessageSources sources;

	SourceCommand(MessageSources sources) {
		this.sources = sources;
	}

	@Override
	public String name() {
		return "source";
	}

	@Override
	public String summary() {
		return "prints a message's exact source bytes from the stored export";
	}

	@Override
	public String help() {
		return """
				Usage: chatvault source <message-id> [--json]

				Prints the exact source bytes of an archived message, as the export held them:
				the raw lines of a WhatsApp message, the raw JSON object of a Slack, Teams or
				WhatsApp Cloud one. The bytes come from the export file stored at import, each
				chunk verified; nothing is added, not even a final newline. The read is recorded
				in the audit log (content.read).

				--json prints where the bytes are (file names and SHA-256, offset, length) and
				the SHA-256 of the bytes instead of the bytes themselves.

				Exit codes: 0 printed, 2 bad id, 3 no such message or its source is not stored,
				10 the stored bytes do not check out.
				""";
	}

	@Override
	public ExitCode execute(CommandLine line, PrintStream out) {
		if (line.positionals().size() != 1) {
			throw new UsageException("source takes one message id (chatvault source --help)");
		}
		VaultReader.SourceFragment fragment;
		try {
			fragment = this.sources.fragment(line.positionals().get(0));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
		catch (NoSuchElementException ex) {
			throw new CommandException(ExitCode.JOB_FAILED, ex.getMessage());
		}
		try {
			if (line.json()) {
				String sha = this.sources.write(fragment, MessageSources.operator(),
						java.io.OutputStream.nullOutputStream());
				Map<String, Object> json = new LinkedHashMap<>();
				json.put("messageId", fragment.messageId());
				json.put("files", fragment.fileNames());
				json.put("fileSha256", fragment.fileSha256());
				json.put("offset", fragment.offset());
				json.put("length", fragment.length());
				json.put("sha256", sha);
				JsonOutput.print(out, json);
			}
			else {
				this.sources.write(fragment, MessageSources.operator(), out);
			}
		}
		catch (VaultIntegrityException ex) {
			throw new CommandException(ExitCode.INTEGRITY_FAILURE, ex.getMessage(), ex);
		}
		return ExitCode.COMPLETED;
	}

}
