package io.chatvault.migration;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per export, and one per file that looks like an export but cannot be read
 * (which quarantines it whole), as {@link SourceInventory} finds them: each export is
 * detected on its own, so a directory holding a Slack zip, WhatsApp exports and Teams
 * JSON migrates all of them. Files that are not exports are listed by the job listener.
 */
class ExportPartitioner implements Partitioner {

	static final String EXPORT = "migration.export";

	static final String EXPORT_NAME = "migration.exportName";

	static final String FORMAT = "migration.format";

	static final String SIZE = "migration.size";

	/** Why an unreadable file is quarantined whole. */
	static final String REASON = "migration.reason";

	private final ExportSources sources;

	private final MigrationParameters parameters;

	ExportPartitioner(ExportSources sources, MigrationParameters parameters) {
		this.sources = sources;
		this.parameters = parameters;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		int index = 0;
		for (SourceInventory.Item item : inventory().partitions()) {
			index++;
			ExecutionContext context = new ExecutionContext();
			context.putString(EXPORT, item.path().toString());
			context.putString(EXPORT_NAME, item.name());
			context.putString(FORMAT, (item.format() != null) ? item.format().key() : SourceInventory.UNREADABLE);
			context.putLong(SIZE, item.size());
			if (item.reason() != null) {
				context.putString(REASON, item.reason());
			}
			partitions.put(partitionName(index, item.name()), context);
		}
		return partitions;
	}

	/** Every file under the source, accounted for. */
	SourceInventory.Inventory inventory() {
		return new SourceInventory(this.sources, this.parameters.format()).take(this.parameters.source());
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

}
