package io.chatvault.vault;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.WriteOptions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The retention policies in {@code vault_retention_policy}: each names a regulation, a
 * period, and the sources and custodian groups it covers (none listed: all). A record is
 * kept for the longest period of the policies that cover it, or the configured default (7
 * years) when none does; its retain-until is computed when it is written.
 */
public class RetentionPolicies {

	private final JdbcTemplate jdbc;

	private final VaultProperties.Retention defaults;

	public RetentionPolicies(JdbcTemplate jdbc, VaultProperties.Retention defaults) {
		this.jdbc = jdbc;
		this.defaults = defaults;
	}

	/**
	 * Adds or replaces a policy.
	 * @param policy the policy
	 */
	public void save(RetentionPolicy policy) {
		this.jdbc.update("INSERT INTO vault_retention_policy (name, regulation, retention_period, sources, "
				+ "custodian_groups, custodians, statutory) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE "
				+ "SET regulation = excluded.regulation, retention_period = excluded.retention_period, "
				+ "sources = excluded.sources, custodian_groups = excluded.custodian_groups, "
				+ "custodians = excluded.custodians, statutory = excluded.statutory", policy.name(),
				policy.regulation(), policy.period().toString(), array(policy.sources()),
				array(policy.custodianGroups()), array(policy.custodians()), policy.statutory());
	}

	private static String[] array(List<String> values) {
		return values.isEmpty() ? null : values.toArray(String[]::new);
	}

	/**
	 * Every policy, by name.
	 * @return the policies
	 */
	public List<RetentionPolicy> policies() {
		return this.jdbc.query(
				"SELECT name, regulation, retention_period, sources, custodian_groups, custodians, "
						+ "statutory FROM vault_retention_policy ORDER BY name",
				(rs, row) -> new RetentionPolicy(rs.getString(1), rs.getString(2), Period.parse(rs.getString(3)),
						strings(rs.getArray(4)), strings(rs.getArray(5)), strings(rs.getArray(6)), rs.getBoolean(7)));
	}

	/**
	 * Removes a policy; what was written under it keeps its retain-until.
	 * @param name the policy
	 * @return whether there was one
	 */
	public boolean remove(String name) {
		return this.jdbc.update("DELETE FROM vault_retention_policy WHERE name = ?", name) > 0;
	}

	/**
	 * Puts a custodian in a group that policies can name.
	 * @param group the group
	 * @param custodian the custodian
	 */
	public void addToGroup(String group, String custodian) {
		this.jdbc.update(
				"INSERT INTO vault_custodian_group (group_name, custodian) VALUES (?, ?) " + "ON CONFLICT DO NOTHING",
				group, custodian);
	}

	/**
	 * Reads the policies once for a set of custodians (one chunk).
	 * @param custodians the custodians about to be written for
	 * @param now the write time retain-until is computed from
	 * @return a resolver for records of those custodians
	 */
	public Resolver resolver(Collection<String> custodians, Instant now) {
		List<RetentionPolicy> policies = policies();
		Map<String, Set<String>> groups = new HashMap<>();
		if (!policies.isEmpty()) {
			// Groups set for retention, and the custodian registry's group.
			this.jdbc.query("SELECT custodian, group_name FROM vault_custodian_group WHERE custodian = ANY (?) "
					+ "UNION SELECT id, group_name FROM access_custodian WHERE id = ANY (?)", (rs) -> {
						groups.computeIfAbsent(rs.getString(1), (c) -> new HashSet<>()).add(rs.getString(2));
					}, (Object) new HashSet<>(custodians).toArray(String[]::new),
					(Object) new HashSet<>(custodians).toArray(String[]::new));
		}
		return new Resolver(policies, groups, now);
	}

	private static List<String> strings(Array array) throws SQLException {
		return (array != null) ? List.of((String[]) array.getArray()) : List.of();
	}

	/** Computes the write options of records of one chunk. */
	public final class Resolver {

		private final List<RetentionPolicy> policies;

		private final Map<String, Set<String>> groups;

		private final Instant now;

		private final Map<String, RetentionClass> cache = new HashMap<>();

		private Resolver(List<RetentionPolicy> policies, Map<String, Set<String>> groups, Instant now) {
			this.policies = policies;
			this.groups = groups;
			this.now = now;
		}

		/**
		 * The write options of a record.
		 * @param source its source, or {@code null} when unknown (quarantined input):
		 * then every policy covering the custodian applies
		 * @param custodian its custodian
		 * @return retain-until (now plus the longest covering period) and lock mode
		 */
		public WriteOptions writeOptions(SourcePlatform source, String custodian) {
			return retentionClass(source, custodian).options();
		}

		/**
		 * The retention class of a record: the longest covering policy (a statutory one
		 * where periods tie), or the default; fixed when the record is written.
		 * @param source its source, or {@code null} when unknown
		 * @param custodian its custodian
		 * @return the class, with the write options
		 */
		public RetentionClass retentionClass(SourcePlatform source, String custodian) {
			String sourceName = (source != null) ? source.name() : "";
			return this.cache.computeIfAbsent(sourceName + '\u0000' + custodian, (k) -> {
				Instant until = this.now.atOffset(ZoneOffset.UTC).plus(defaults.defaultPeriod()).toInstant();
				RetentionPolicy winner = null;
				Instant winnerUntil = null;
				Set<String> memberOf = this.groups.getOrDefault(custodian, Set.of());
				for (RetentionPolicy policy : this.policies) {
					if (policy.covers(source, custodian, memberOf)) {
						Instant policyUntil = this.now.atOffset(ZoneOffset.UTC).plus(policy.period()).toInstant();
						if (winner == null || policyUntil.isAfter(winnerUntil)
								|| (policyUntil.equals(winnerUntil) && policy.statutory() && !winner.statutory())) {
							winner = policy;
							winnerUntil = policyUntil;
						}
					}
				}
				if (winner != null) {
					until = winnerUntil;
				}
				return new RetentionClass((winner != null) ? winner.name() : null, winner != null && winner.statutory(),
						new WriteOptions(until, defaults.lockMode(), false));
			});
		}

	}

	/**
	 * The retention a record is written under.
	 *
	 * @param policy the policy that fixed it, or {@code null} for the configured default
	 * @param statutory whether the law imposes it
	 * @param options retain-until and lock mode
	 */
	public record RetentionClass(String policy, boolean statutory, WriteOptions options) {
	}

}