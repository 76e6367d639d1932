package io.chatvault.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one delivery of a report (a row of {@code report_delivery}): where its workbook is
 * and how far it has come, BUILT, STORED, SENT.
 *
 * @param instanceId the job instance: the report
 * @param period the period
 * @param destination {@code mail} or {@code file}
 * @param recipients the mail's recipients, or the file
 * @param messageId the mail's Message-ID, derived from the report
 * @param staging the workbook as built
 * @param sha256 the workbook's SHA-256 (hex)
 * @param size its size in bytes
 * @param kpis KPIs in the report
 * @param missed KPIs whose target was missed
 * @param findings KPIs that are missing
 * @param objectKey its key in the write-once store, once stored
 * @param state how far it has come
 */
record ReportDelivery(long instanceId, ReportPeriod period, String destination, List<String> recipients,
		String messageId, Path staging, String sha256, long size, int kpis, int missed, int findings,
		Optional<String> objectKey, State state) {

	/** How far a delivery has come. */
	enum State {

		/** The workbook is built in staging. */
		BUILT,

		/** The workbook is in the write-once store and its SHA-256 in the audit log. */
		STORED,

		/** The mail was accepted by the SMTP server, or the file written. */
		SENT

	}

	boolean toFile() {
		return "file".equals(this.destination);
	}

	/** The attachment's file name: {@code chatvault-compliance-report-2025-03.xlsx}. */
	String fileName() {
		return "chatvault-compliance-report-" + this.period.label() + ".xlsx";
	}

}
