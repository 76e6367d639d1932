package io.chatvault.audit;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Reads the audit log: entries matching a filter, in chain order, by keyset pages on the
 * sequence, so that any number of entries streams in constant memory.
 */
@Service
public class AuditTrail {

	private static final int PAGE = 1_000;

	private final JdbcTemplate jdbc;

	AuditTrail(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Hands each matching entry to a consumer, oldest first.
	 * @param filter which entries
	 * @param consumer what to do with each
	 * @return how many entries were read
	 */
	public long forEach(AuditFilter filter, Consumer<AuditEntry> consumer) {
		long cursor = filter.afterSequence();
		long read = 0;
		while (filter.limit() == 0 || read < filter.limit()) {
			int page = (int) ((filter.limit() == 0) ? PAGE : Math.min(PAGE, filter.limit() - read));
			List<Object> arguments = new ArrayList<>();
			StringBuilder sql = new StringBuilder(
					"SELECT " + ChainRow.COLUMNS + " FROM audit_entry WHERE sequence > ?");
			arguments.add(cursor);
			filter.actor().ifPresent((actor) -> {
				sql.append(" AND actor COLLATE \"C\" = ?");
				arguments.add(actor);
			});
			filter.action().ifPresent((action) -> {
				if (action.endsWith("*")) {
					sql.append(" AND action COLLATE \"C\" LIKE ? ESCAPE '\\'");
					arguments.add(escapeLike(action.substring(0, action.length() - 1)) + "%");
				}
				else {
					sql.append(" AND action COLLATE \"C\" = ?");
					arguments.add(action);
				}
			});
			filter.target().ifPresent((target) -> {
				sql.append(" AND target COLLATE \"C\" = ?");
				arguments.add(target);
			});
			filter.since().ifPresent((since) -> {
				sql.append(" AND recorded_at >= ?");
				arguments.add(Timestamp.from(since));
			});
			filter.until().ifPresent((until) -> {
				sql.append(" AND recorded_at < ?");
				arguments.add(Timestamp.from(until));
			});
			sql.append(" ORDER BY sequence LIMIT ?");
			arguments.add(page);
			List<AuditEntry> entries = this.jdbc.query(sql.toString(), JdbcAuditLog::entry, arguments.toArray());
			for (AuditEntry entry : entries) {
				consumer.accept(entry);
				cursor = entry.sequence();
			}
			read += entries.size();
			if (entries.size() < page) {
				break;
			}
		}
		return read;
	}

	/**
	 * Whether an entry of an action on a target exists.
	 * @param action the action
	 * @param target the target
	 * @return true if one exists
	 */
	public boolean exists(String action, String target) {
		return Boolean.TRUE.equals(this.jdbc.queryForObject(
				"SELECT EXISTS (SELECT 1 FROM audit_entry WHERE target COLLATE \"C\" = ? AND action = ?)",
				Boolean.class, target, action));
	}

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
