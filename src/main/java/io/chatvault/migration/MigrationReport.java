package io.chatvault.migration;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Prints the reconciliation of a migration run: one line per export and the total, as
 * {@code migrate} shows it at the end of a run and for a run already complete.
 */
@Component
class MigrationReport {

	private final ReconciliationRepository reconciliations;

	MigrationReport(ReconciliationRepository reconciliations) {
		this.reconciliations = reconciliations;
	}

	/**
	 * The total of a run.
	 * @param jobInstanceId the run
	 * @return its reconciliation
	 */
	Reconciliation total(long jobInstanceId) {
		return total(exports(jobInstanceId, null));
	}

	private static Reconciliation total(List<ReconciliationRepository.ExportReconciliation> exports) {
		return exports.stream()
			.map(ReconciliationRepository.ExportReconciliation::figures)
			.reduce(Reconciliation.NONE, Reconciliation::plus);
	}

	/**
	 * The reconciliation of a run, for {@code --json}: totals and one entry per export.
	 */
	Map<String, Object> json(long jobInstanceId) {
		return json(jobInstanceId, null);
	}

	/**
	 * The reconciliation of a run, for {@code --json}, with the figures of the execution
	 * that just ran taken from memory where it could not store them.
	 */
	Map<String, Object> json(long jobInstanceId, JobExecution current) {
		List<ReconciliationRepository.ExportReconciliation> exports = exports(jobInstanceId, current);
		Reconciliation total = total(exports);
		Map<String, Object> json = figures(total);
		json.put("balanced", total.balanced());
		json.put("exports", exports.stream().map((export) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("export", export.name());
			entry.put("format", export.format());
			entry.put("status", export.status());
			entry.putAll(figures(export.figures()));
			entry.put("firstQuarantined", export.firstQuarantined());
			return entry;
		}).toList());
		List<ReconciliationRepository.SourceFile> files = this.reconciliations.findFiles(jobInstanceId);
		Map<String, Object> fileFigures = new LinkedHashMap<>();
		fileFigures.put("total", files.stream().mapToLong(ReconciliationRepository.SourceFile::files).sum());
		for (String kind : List.of("export", "quarantined", "not-an-export")) {
			fileFigures.put(kind,
					files.stream()
						.filter((file) -> file.kind().equals(kind))
						.mapToLong(ReconciliationRepository.SourceFile::files)
						.sum());
		}
		fileFigures.put("unreadFiles", files.stream().filter((file) -> !file.kind().equals("export")).map((file) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("file", file.name());
			entry.put("kind", file.kind());
			entry.put("reason", file.reason());
			return entry;
		}).toList());
		json.put("files", fileFigures);
		return json;
	}

	private static Map<String, Object> figures(Reconciliation r) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("read", r.read());
		json.put("archived", r.archived());
		json.put("duplicates", r.duplicates());
		json.put("quarantined", r.quarantined());
		json.put("bytesStored", r.bytesStored());
		return json;
	}

	void print(long jobInstanceId, PrintStream out) {
		print(jobInstanceId, null, out);
	}

	/**
	 * Prints the reconciliation of a run: one line per export, the total, the equation,
	 * and the files of the source that were quarantined whole or are not exports.
	 * @param jobInstanceId the run
	 * @param current the execution that just ran, whose figures in memory stand in for
	 * rows it could not store; or null
	 * @param out where
	 */
	void print(long jobInstanceId, JobExecution current, PrintStream out) {
		List<ReconciliationRepository.ExportReconciliation> exports = exports(jobInstanceId, current);
		int width = Math.max(6, exports.stream().mapToInt((e) -> e.name().length()).max().orElse(0));
		String format = "%-" + width + "s  %-14s %10s %10s %10s %11s  %s%n";
		out.printf(format, "export", "format", "read", "archived", "duplicates", "quarantined", "status");
		for (ReconciliationRepository.ExportReconciliation export : exports) {
			Reconciliation r = export.figures();
			out.printf(format, export.name(), export.format(), r.read(), r.archived(), r.duplicates(), r.quarantined(),
					export.status());
		}
		Reconciliation total = total(exports);
		out.printf(format, "total", "", total.read(), total.archived(), total.duplicates(), total.quarantined(), "");
		out.println("reconciliation: " + total.describe() + (total.balanced() ? " (balanced)" : " (NOT BALANCED)"));
		exports.stream()
			.filter((export) -> export.firstQuarantined() != null)
			.forEach((export) -> out.println("  quarantined in " + export.name() + " (" + export.figures().quarantined()
					+ "), the first: " + export.firstQuarantined()));
		List<ReconciliationRepository.SourceFile> files = this.reconciliations.findFiles(jobInstanceId);
		if (files.isEmpty()) {
			return;
		}
		long all = files.stream().mapToLong(ReconciliationRepository.SourceFile::files).sum();
		List<ReconciliationRepository.SourceFile> exported = kind(files, "export");
		List<ReconciliationRepository.SourceFile> quarantined = kind(files, "quarantined");
		List<ReconciliationRepository.SourceFile> others = kind(files, "not-an-export");
		out.println(
				"files: " + all + " = " + exported.stream().mapToLong(ReconciliationRepository.SourceFile::files).sum()
						+ " in " + exported.size() + " export(s) + " + quarantined.size() + " quarantined whole + "
						+ others.size() + " not an export");
		quarantined.forEach((file) -> out.println("  quarantined whole: " + file.name() + ": " + file.reason()));
		others.stream()
			.limit(20)
			.forEach((file) -> out.println("  not an export: " + file.name() + " (" + file.reason() + ")"));
		if (others.size() > 20) {
			out.println("  not an export: " + (others.size() - 20) + " more");
		}
	}

	private static List<ReconciliationRepository.SourceFile> kind(List<ReconciliationRepository.SourceFile> files,
			String kind) {
		return files.stream().filter((file) -> file.kind().equals(kind)).toList();
	}

	private List<ReconciliationRepository.ExportReconciliation> exports(long jobInstanceId, JobExecution current) {
		return this.reconciliations.findByJobInstance(jobInstanceId, current);
	}

}
