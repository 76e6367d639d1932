package io.chatvault.vault;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import io.chatvault.cli.CliCommand;
import io.chatvault.cli.CommandException;
import io.chatvault.cli.ExitCode;
import io.chatvault.cli.JsonOutput;
import io.chatvault.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.springframework.stereotype.Component;

/**
 * {@code chatvault source <message-id>}: prints a message's exact source bytes (see
 * {@link MessageSources}).
 */
@Component
@Command(name = "source",
		description = { "Prints a message's exact source bytes from the stored export.", "",
				"The raw lines of a WhatsApp message, the raw JSON object of a Slack, Teams or WhatsApp",
				"Cloud one, byte for byte as the export held them: read from the export file stored at",
				"import, each chunk verified; nothing is added, not even a final newline. The read is",
				"recorded in the audit log (content.read)." },
		footer = { "", "Exit codes: 0 printed, 2 bad id, 3 no such message or its source is not stored,",
				"10 the stored bytes do not check out." })
class SourceCommand implements CliCommand {

	@Parameters(index = "0", paramLabel = "message-id", description = "The message's id (64 hex digits).")
	String messageId;

	@Option(names = "--json",
			description = "Where the bytes are (file names and SHA-256, offset, length) and their SHA-256, "
					+ "instead of the bytes.")
	boolean json;

	private final MessageSources sources;

	SourceCommand(MessageSources sources) {
		this.sources = sources;
	}

	@Override
	public ExitCode execute(PrintStream out) {
		VaultReader.SourceFragment fragment;
		try {
			fragment = this.sources.fragment(this.messageId);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException(ex.getMessage());
		}
		catch (NoSuchElementException ex) {
			throw new CommandException(ExitCode.JOB_FAILED, ex.getMessage());
		}
		try {
			if (this.json) {
				String sha = this.sources.write(fragment, MessageSources.operator(), OutputStream.nullOutputStream());
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
