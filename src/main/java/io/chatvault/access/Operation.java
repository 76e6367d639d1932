package io.chatvault.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a principal asks to do. Each is also the audit-log action of the entries written
 * when it is done ({@code content.restore}, {@code audit.read}, ...). Operations that
 * read message content are limited to the custodians of the principal's grants; the
 * others are allowed or not by role alone.
 */
public enum Operation {

	/** Read or search message content (search results, viewing a conversation). */
	CONTENT_READ("content.read", true),

	/** Restore a custodian's history, or part of it, to a directory. */
	CONTENT_RESTORE("content.restore", true),

	/** Export content for a regulator or a review platform (RSMF, EML, load files). */
	CONTENT_EXPORT("content.export", true),

	/** Place or release a legal hold. */
	HOLD_MANAGE("hold.manage", false),

	/** Set retention policies; erase a custodian's or a conversation's data (GDPR). */
	RETENTION_MANAGE("retention.manage", false),

	/** Read the audit log. */
	AUDIT_READ("audit.read", false),

	/** Verify the audit chain and its anchors. */
	AUDIT_VERIFY("audit.verify", false),

	/** Read reports: drills, checksum samples, permission audits, compliance reports. */
	REPORT_READ("report.read", false),

	/** Run, restart, stop and recover jobs. */
	JOB_OPERATE("job.operate", false),

	/** Manage principals, grants, tokens and the custodian registry. */
	ACCESS_ADMIN("access.admin", false);

	private final String action;

	private final boolean readsContent;

	Operation(String action, boolean readsContent) {
		this.action = action;
		this.readsContent = readsContent;
	}

	/** The audit-log action, also the name on the command line. */
	public String action() {
		return this.action;
	}

	/** Whether it returns message content, and so is limited by the grants' scopes. */
	public boolean readsContent() {
		return this.readsContent;
	}

	/**
	 * The operation of an action name.
	 * @param action {@code content.read}, ...
	 * @return the operation, if the name is known
	 */
	public static Optional<Operation> fromAction(String action) {
		for (Operation operation : values()) {
			if (operation.action.equals(action.trim().toLowerCase(Locale.ROOT))) {
				return Optional.of(operation);
			}
		}
		return Optional.empty();
	}

}
