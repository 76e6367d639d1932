package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.chatvault.source.ChatSource;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * {@link ExportSources} over the {@link ChatSource} beans.
 */
@Component
class RegisteredExportSources implements ExportSources {

	private final List<ChatSource> sources;

	RegisteredExportSources(List<ChatSource> sources) {
		this.sources = sources;
	}

	@Override
	public Optional<SourceFormat> detect(Path input) {
		return this.sources.stream().filter((s) -> s.accepts(input)).map(ChatSource::format).findFirst();
	}

	@Override
	public boolean accepts(Path input, SourceFormat format) {
		return this.sources.stream().anyMatch((s) -> s.format() == format && s.accepts(input));
	}

	@Override
	public SourceReader open(Path input, Optional<SourceFormat> format, SourceOptions options) throws IOException {
		SourceFormat wanted = format.or(() -> detect(input))
			.orElseThrow(() -> new IOException(input + " is not an export of a known format"));
		ChatSource source = this.sources.stream()
			.filter((s) -> s.format() == wanted)
			.findFirst()
			.orElseThrow(() -> new IOException("no reader for format " + wanted.key()));
		return source.open(input, options);
	}

}
