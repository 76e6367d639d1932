package io.chatvault.migration;

import java.io.PrintStream;
import java.util.List;

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
