package io.chatvault.report;

/**
 * A report cannot be delivered until the operator configures a mail server or recipients:
 * the run fails with the infrastructure exit code, and the restart sends it.
 */
class ReportUndeliverableException extends RuntimeException {

	ReportUndeliverableException(String message) {
		super(message);
	}

}
