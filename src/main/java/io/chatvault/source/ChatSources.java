package io.chatvault.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.chatvault.cli.UsageException;

import org.springframework.stereotype.Component;

/**
 * The registry of input formats: every {@link ChatSource} bean, found by name or by
 * asking each whether it accepts an input ({@code format=auto}).
 */
@Component
public class ChatSources {

	/** The {@code format=} value that asks for detection. */
	public static final String AUTO = "auto";

	private final List<ChatSource> sources;

	public ChatSources(List<ChatSource> sources) {
		// A stable order, so that detection does not depend on bean registration order.
		this.sources = sources.stream().sorted(Comparator.comparing(ChatSource::format)).toList();
	}

	/** The formats that can be read, in {@link SourceFormat} order. */
	public List<SourceFormat> formats() {
		return this.sources.stream().map(ChatSource::format).toList();
	}

	/**
	 * The source of a named format.
	 * @param format the format
	 * @return its source, or empty when no bean reads it
	 */
	public Optional<ChatSource> source(SourceFormat format) {
		return this.sources.stream().filter((source) -> source.format() == format).findFirst();
	}

	/**
	 * Chooses the source for an input: the named format, or the first that accepts the
	 * input when the name is {@code auto} or absent.
	 * @param input a file or directory
	 * @param formatName a {@link SourceFormat#key()}, {@code auto}, or null
	 * @return the source
	 * @throws UsageException when the input does not exist, the format is unknown, or no
	 * format accepts the input
	 */
	public ChatSource choose(Path input, String formatName) {
		if (!Files.exists(input)) {
			throw new UsageException("no such file or directory: " + input);
		}
		if (formatName != null && !formatName.isBlank() && !AUTO.equalsIgnoreCase(formatName)) {
			SourceFormat format = SourceFormat.fromKey(formatName)
				.orElseThrow(() -> new UsageException(
						"unknown format '" + formatName + "'; expected one of: auto, " + keys()));
			return source(format)
				.orElseThrow(() -> new UsageException("format '" + formatName + "' is not available in this build"));
		}
		return detect(input).orElseThrow(() -> new UsageException(
				"cannot tell the format of " + input + "; name it with format=<" + keys() + ">"));
	}

	/**
	 * Detects the format of an input.
	 * @param input a file or directory
	 * @return the first source that accepts it
	 */
	public Optional<ChatSource> detect(Path input) {
		return this.sources.stream().filter((source) -> source.accepts(input)).findFirst();
	}

	/**
	 * Opens a reader on an input, choosing the source as {@link #choose} does.
	 * @param input a file or directory
	 * @param formatName a format key, {@code auto}, or null
	 * @param options the reader options
	 * @return an open reader
	 * @throws IOException if the input cannot be opened at all
	 */
	public SourceReader open(Path input, String formatName, SourceOptions options) throws IOException {
		return choose(input, formatName).open(input, options);
	}

	private String keys() {
		return this.sources.stream().map((source) -> source.format().key()).collect(Collectors.joining(", "));
	}

}
