package io.chatvault.integrity;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.chatvault.audit.AuditActors;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.Depth;
import io.chatvault.vault.VaultCatalog.StoredItem;
import io.chatvault.vault.VaultCatalog.Verification;
import io.chatvault.vault.VaultIntegrityException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What checksum sampling does with an item that did not check out on the primary: the
 * replica's copy is checked (to the same depth), put back under a new key that the index
 * then names ({@link VaultCatalog#repair}: nothing is overwritten or deleted), and the
 * repaired item checked again from the primary. Each damaged object is one incident row
 * and one audit entry, written in a transaction of their own together with the index
 * change, so that a chunk rolled back after a repair does not repeat it: the restarted
 * chunk finds the item intact under its new key.
 *
 * <p>
 * Repairs of one object are serialized (a transaction-scoped advisory lock on its key):
 * two partitions that find the same damaged pack (through two of its blocks) repair it
 * once, and the second sees the first's repair.
 */
@Component
class IntegrityRepairs {

	static final String ACTOR = AuditActors.job(ChecksumSamplingJobConfiguration.JOB);

	private final VaultCatalog catalog;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final AuditLog auditLog;

	private final Clock clock;

	IntegrityRepairs(VaultCatalog catalog, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
			AuditLog auditLog, Clock clock) {
		this.catalog = catalog;
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.auditLog = auditLog;
		this.clock = clock;
	}

	/** What became of an item that failed its check. */
	enum Outcome {

		/**
		 * Another check had repaired it meanwhile, or it reads intact now: no incident.
		 */
		INTACT,

		/** Repaired from the replica: an incident, repaired. */
		REPAIRED,

		/** Damaged in both copies, or the repair did not check out: an incident. */
		UNREPAIRABLE

	}

	/**
	 * Handles an item whose check failed.
	 * @param run the run
	 * @param failed the failed check
	 * @param detectedAt when it failed
	 * @return what became of it
	 */
	Outcome handle(Run run, Verification failed, Instant detectedAt) {
		StoredItem item = failed.item();
		return this.ownTransaction.execute((status) -> {
			this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", Object.class,
					"chatvault-repair:" + baseKey(item.objectKey()));
			Optional<StoredItem> now = this.catalog.item(item.kind(), item.id());
			if (now.isEmpty()) {
				// Disposed of meanwhile: nothing left to check.
				return Outcome.INTACT;
			}
			StoredItem current = now.get();
			if (!current.objectKey().equals(item.objectKey()) || !current.sha256().equals(item.sha256())) {
				if (this.catalog.verify(current, Depth.CONTENT).ok()) {
					return Outcome.INTACT;
				}
			}
			Integer known = this.jdbc.queryForObject(
					"SELECT count(*) FROM integrity_incident WHERE job_instance_id = ? AND object_key = ?",
					Integer.class, run.instanceId(), current.objectKey());
			if (known != null && known > 0) {
				// Reported by this run already (a restarted chunk): one incident per
				// object.
				return Outcome.UNREPAIRABLE;
			}
			return repair(run, current, failed.problem(), detectedAt);
		});
	}

	private Outcome repair(Run run, StoredItem item, String problem, Instant detectedAt) {
		String replicaProblem = null;
		String newKey = null;
		try {
			Verification replica = this.catalog.verifyReplica(item, Depth.CONTENT);
			if (!replica.ok()) {
				replicaProblem = replica.problem();
			}
			else {
				newKey = this.catalog
					.repair(item,
							"checksum-sampling " + run.day() + " (execution " + run.executionId() + "): " + problem)
					.newKey();
				StoredItem repaired = this.catalog.item(item.kind(), item.id()).orElseThrow();
				Verification after = this.catalog.verify(repaired, Depth.CONTENT);
				if (!after.ok()) {
					replicaProblem = "the repaired copy " + newKey + " does not check out: " + after.problem();
					newKey = null;
				}
			}
		}
		catch (VaultIntegrityException | ObjectStoreException | UnsupportedOperationException ex) {
			replicaProblem = ex.getMessage();
			newKey = null;
		}
		Outcome outcome = (newKey != null) ? Outcome.REPAIRED : Outcome.UNREPAIRABLE;
		Instant repairedAt = (newKey != null) ? this.clock.instant() : null;
		this.jdbc.update(
				"INSERT INTO integrity_incident (job_instance_id, job_execution_id, day, kind, item_id, "
						+ "object_key, problem, replica_problem, detected_at, repaired_at, outcome, new_object_key) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				run.instanceId(), run.executionId(), Date.valueOf(run.day()), item.kind().name(), item.id(),
				item.objectKey(), problem, replicaProblem, Timestamp.from(detectedAt),
				(repairedAt != null) ? Timestamp.from(repairedAt) : null,
				(outcome == Outcome.REPAIRED) ? "repaired" : "unrepairable", newKey);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("kind", item.kind().name());
		details.put("item", item.id());
		details.put("problem", problem);
		details.put("detectedAt", detectedAt.toString());
		details.put("execution", run.executionId());
		if (newKey != null) {
			details.put("newObjectKey", newKey);
			details.put("repairedAt", repairedAt.toString());
		}
		else {
			details.put("replicaProblem", String.valueOf(replicaProblem));
		}
		this.auditLog.append(new AuditEvent(ACTOR, "", "integrity.repair", item.objectKey(),
				(outcome == Outcome.REPAIRED) ? "repaired" : "unrepairable", details));
		return outcome;
	}

	/**
	 * Tries again to repair the objects a run reported unrepairable (a restart of the
	 * run, after someone restored the replica): an incident whose object now checks out,
	 * or is repaired, is marked repaired.
	 * @param run the run
	 * @return incidents still unrepairable
	 */
	int retryUnrepairable(Run run) {
		var open = this.jdbc.queryForList(
				"SELECT id, kind, item_id FROM integrity_incident WHERE job_instance_id = ? AND outcome = 'unrepairable'",
				run.instanceId());
		int left = 0;
		for (Map<String, Object> incident : open) {
			long id = ((Number) incident.get("id")).longValue();
			VaultCatalog.ItemKind kind = VaultCatalog.ItemKind.valueOf((String) incident.get("kind"));
			long itemId = ((Number) incident.get("item_id")).longValue();
			Boolean repaired = this.ownTransaction.execute((status) -> {
				Optional<StoredItem> item = this.catalog.item(kind, itemId);
				if (item.isEmpty()) {
					return false;
				}
				this.jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", Object.class,
						"chatvault-repair:" + baseKey(item.get().objectKey()));
				StoredItem current = this.catalog.item(kind, itemId).orElseThrow();
				String newKey = current.objectKey();
				if (!this.catalog.verify(current, Depth.CONTENT).ok()) {
					try {
						if (!this.catalog.verifyReplica(current, Depth.CONTENT).ok()) {
							return false;
						}
						newKey = this.catalog.repair(current, "checksum-sampling " + run.day() + ", retried").newKey();
						if (!this.catalog.verify(this.catalog.item(kind, itemId).orElseThrow(), Depth.CONTENT).ok()) {
							return false;
						}
					}
					catch (VaultIntegrityException | ObjectStoreException ex) {
						return false;
					}
				}
				Instant at = this.clock.instant();
				this.jdbc.update("UPDATE integrity_incident SET outcome = 'repaired', repaired_at = ?, "
						+ "new_object_key = ? WHERE id = ?", Timestamp.from(at), newKey, id);
				this.auditLog.append(new AuditEvent(ACTOR, "", "integrity.repair", current.objectKey(), "repaired",
						Map.of("kind", kind.name(), "item", itemId, "newObjectKey", newKey, "repairedAt", at.toString(),
								"execution", run.executionId(), "retried", true)));
				return true;
			});
			if (!Boolean.TRUE.equals(repaired)) {
				left++;
			}
		}
		return left;
	}

	/** The key an object had before any repair ({@code <key>.r<n>} names a repair). */
	static String baseKey(String objectKey) {
		int repaired = objectKey.indexOf(".r", objectKey.lastIndexOf('/'));
		return (repaired > 0) ? objectKey.substring(0, repaired) : objectKey;
	}

	/**
	 * The run an item is checked for.
	 *
	 * @param instanceId the job instance
	 * @param executionId the execution
	 * @param day the day sampled
	 */
	record Run(long instanceId, long executionId, LocalDate day) {
	}

}
