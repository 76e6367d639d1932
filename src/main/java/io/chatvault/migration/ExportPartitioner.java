package io.chatvault.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.chatvault.source.SourceFormat;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per export: a single file, zip or export directory is one partition; a
 * directory that is not itself an export is searched (sorted, so that a restart finds the
 * same partitions under the same names) for the exports it holds. Files that no source
 * reads are listed in the manager step's context, not silently passed over.
 */
class ExportPartitioner implements Partitioner {

	static final String EXPORT = "migration.export";

	static final String EXPORT_NAME = "migration.exportName";

	static final String FORMAT = "migration.format";

	static final String SIZE = "migration.size";

	private static final int MAX_DEPTH = 8;

	private final ExportSources sources;

	private final MigrationParameters parameters;

	ExportPartitioner(ExportSources sources, MigrationParameters parameters) {
		this.sources = sources;
		this.parameters = parameters;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		List<Export> exports = exports(this.parameters.source()).exports();
		int index = 0;
		for (Export export : exports) {
			index++;
			ExecutionContext context = new ExecutionContext();
			context.putString(EXPORT, export.path().toString());
			context.putString(EXPORT_NAME, export.name());
			context.putString(FORMAT, export.format().key());
			context.putLong(SIZE, export.size());
			partitions.put(partitionName(index, export.name()), context);
		}
		return partitions;
	}

	/**
	 * Finds the exports under the source.
	 * @param source the file or directory
	 * @return the exports, in a stable order, and what was not recognized
	 */
	Survey exports(Path source) {
		List<Export> exports = new ArrayList<>();
		List<String> unrecognized = new ArrayList<>();
		Path base = Files.isDirectory(source) ? source : source.getParent();
		collect(source, base, 0, exports, unrecognized, true);
		return new Survey(exports, unrecognized);
	}

	private void collect(Path path, Path base, int depth, List<Export> exports, List<String> unrecognized,
			boolean top) {
		String name = (base != null && !path.equals(base)) ? base.relativize(path).toString()
				: path.getFileName().toString();
		Optional<SourceFormat> format = this.parameters.format()
			.map((wanted) -> (this.sources.accepts(path, wanted) || (top && !Files.isDirectory(path))) ? wanted : null)
			.or(() -> this.parameters.format().isPresent() ? Optional.empty() : this.sources.detect(path));
		if (format.isPresent()) {
			exports.add(new Export(path, name, format.get(), size(path)));
			return;
		}
		if (Files.isDirectory(path) && depth < MAX_DEPTH) {
			try (Stream<Path> children = Files.list(path)) {
				for (Path child : children.sorted(Comparator.comparing(Path::toString)).toList()) {
					if (!child.getFileName().toString().startsWith(".")) {
						collect(child, base, depth + 1, exports, unrecognized, false);
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot list " + path, ex);
			}
			return;
		}
		unrecognized.add(name);
	}

	private static long size(Path path) {
		try {
			if (Files.isDirectory(path)) {
				try (Stream<Path> files = Files.walk(path)) {
					return files.filter(Files::isRegularFile).mapToLong((f) -> f.toFile().length()).sum();
				}
			}
			return Files.size(path);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * A partition's name: also the suffix of its step execution's name, so it stays short
	 * and stable.
	 */
	static String partitionName(int index, String exportName) {
		String safe = exportName.replaceAll("[^A-Za-z0-9._-]", "_");
		if (safe.length() > 48) {
			// Keep both ends: the start names the chat, the end its date range and
			// extension.
			safe = safe.substring(0, 20) + "~" + safe.substring(safe.length() - 27);
		}
		return String.format("export%04d-%s", index, safe);
	}

	/**
	 * An export found under the source.
	 *
	 * @param path its absolute path
	 * @param name its path relative to the source, for reports
	 * @param format its format
	 * @param size its size in bytes (all files, for a directory)
	 */
	record Export(Path path, String name, SourceFormat format, long size) {
	}

	/**
	 * What the search found.
	 *
	 * @param exports the exports
	 * @param unrecognized names of files that no source reads
	 */
	record Survey(List<Export> exports, List<String> unrecognized) {
	}

}
