package io.chatvault.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.source.ChatSource;
import io.chatvault.source.ChatSources;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;

import org.springframework.stereotype.Component;

/**
 * {@link ExportSources} over the format registry.
 */
@Component
class RegisteredExportSources implements ExportSources {

	private final ChatSources sources;

	RegisteredExportSources(ChatSources sources) {
		this.sources = sources;
	}

	@Override
	public Optional<SourceFormat> detect(Path input) {
		return this.sources.detect(input).map(ChatSource::format);
	}

	@Override
	public boolean accepts(Path input, SourceFormat format) {
		return this.sources.source(format).map((source) -> source.accepts(input)).orElse(false);
	}

	@Override
	public SourceReader open(Path input, Optional<SourceFormat> format, SourceOptions options) throws IOException {
		return this.sources.open(input, format.map(SourceFormat::key).orElse(ChatSources.AUTO), options);
	}

}
