package io.chatvault.migration;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
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
		return this.reconciliations.findByJobInstance(jobInstanceId)
			.stream()
			.map(ReconciliationRepository.ExportReconciliation::figures)
			.reduce(Reconciliation.NONE, Reconciliation::plus);
	}

	/**
	 * The reconciliation of a run, for {@code --json}: totals and one entry per export.
	 */
	Map<String, Object> json(long jobInstanceId) {
		Reconciliation total = total(jobInstanceId);
		Map<String, Object> json = figures(total);
		json.put("balanced", total.balanced());
		json.put("exports", this.reconciliations.findByJobInstance(jobInstanceId).stream().map((export) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("export", export.name());
			entry.put("format", export.format());
			entry.put("status", export.status());
			entry.putAll(figures(export.figures()));
			return entry;
		}).toList());
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
		List<ReconciliationRepository.ExportReconciliation> exports = this.reconciliations
			.findByJobInstance(jobInstanceId);
		int width = Math.max(6, exports.stream().mapToInt((e) -> e.name().length()).max().orElse(0));
		String format = "%-" + width + "s  %-14s %10s %10s %10s %11s  %s%n";
		out.printf(format, "export", "format", "read", "archived", "duplicates", "quarantined", "status");
		for (ReconciliationRepository.ExportReconciliation export : exports) {
			Reconciliation r = export.figures();
			out.printf(format, export.name(), export.format(), r.read(), r.archived(), r.duplicates(), r.quarantined(),
					export.status());
		}
		Reconciliation total = total(jobInstanceId);
		out.printf(format, "total", "", total.read(), total.archived(), total.duplicates(), total.quarantined(), "");
		out.println("reconciliation: " + total.describe() + (total.balanced() ? " (balanced)" : " (NOT BALANCED)"));
	}

}
