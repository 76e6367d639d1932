package io.chatvault.source.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.message.ContentLocator;

/**
 * A chat text file. Its media, when the export was unpacked, lie in the same directory; a
 * media file found there is read as present.
 */
final class TextExport extends ExportInput {

	TextExport(Path path) {
		super(path);
	}

	@Override
	String entry() {
		return "";
	}

	@Override
	InputStream openChat() throws IOException {
		return Files.newInputStream(path());
	}

	@Override
	Optional<ContentLocator> locate(String name) {
		Path parent = path().toAbsolutePath().getParent();
		if (parent == null) {
			return Optional.empty();
		}
		Path candidate = parent.resolve(name);
		if (candidate.getParent().equals(parent) && Files.isRegularFile(candidate)
				&& !candidate.equals(path().toAbsolutePath())) {
			return Optional.of(ContentLocator.file(candidate));
		}
		return Optional.empty();
	}

	@Override
	public void close() {
		// Nothing held open between passes.
	}

}
