package io.chatvault.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What happened, as the audit log records it: who did what to what, with which outcome,
 * and the details an investigator needs (for a read of content: the scope, the query,
 * records and bytes returned, the token id, the client host).
 *
 * <p>
 * Actions are dotted lower-case names, the feature first: {@code job.start},
 * {@code job.end}, {@code content.read}, {@code access.denied}, {@code grant.create},
 * {@code hold.create}, {@code key.rotate}, {@code policy.change}. The actor is the
 * principal's id when one is authenticated, {@code job:<name>} for a job acting on its
 * own, and {@code os:<user>@<host>} for an operator command without a token.
 *
 * @param actor who acted
 * @param role the actor's role when a principal acted, else an empty string
 * @param action what was done
 * @param target what it was done to (an execution, a custodian, a case, a key version)
 * @param outcome {@code success}, {@code denied} or {@code failed} (or a job's exit
 * status)
 * @param details further facts; values are strings, numbers, booleans, lists or maps
 */
public record AuditEvent(String actor, String role, String action, String target, String outcome,
		Map<String, Object> details) {

	public AuditEvent {
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(action, "action");
		role = (role != null) ? role : "";
		target = (target != null) ? target : "";
		outcome = (outcome != null) ? outcome : "success";
		details = (details != null) ? java.util.Collections.unmodifiableMap(new TreeMap<>(details)) : Map.of();
	}

	/**
	 * An event without a role, with outcome {@code success}.
	 * @param actor who acted
	 * @param action what was done
	 * @param target what it was done to
	 * @param details further facts
	 * @return the event
	 */
	public static AuditEvent of(String actor, String action, String target, Map<String, Object> details) {
		return new AuditEvent(actor, "", action, target, "success", details);
	}

}
