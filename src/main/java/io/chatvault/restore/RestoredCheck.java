package io.chatvault.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.Sha256;
import io.chatvault.vault.CanonicalForms;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Proves a restored directory complete against the index, reading only what was written
 * to disk: every file against {@code SHA256SUMS}; every line of every
 * {@code records.jsonl} against its SHA-256 and its id recomputed from the record; every
 * index row of the custodian (in the range) restored once and nothing else; every present
 * attachment's media in its conversation's {@code media/} with the attachment's SHA-256;
 * and, for a whole history, every stored export file the custodian handed over.
 */
final class RestoredCheck {

	/**
	 * The most problems listed by name per custodian (all are counted): enough for every
	 * record of a damaged block.
	 */
	static final int LISTED = 1000;

	/**
	 * The length of a line's head, up to the canonical record (see
	 * {@link Restorer#line}).
	 */
	private static final int HEAD = 158;

	private final JdbcTemplate jdbc;

	RestoredCheck(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Checks a restore.
	 * @param root the restored directory
	 * @param custodian whose
	 * @param from the range's start, or null
	 * @param to the range's end, or null
	 * @param originals whether export files were restored (a whole history)
	 * @return what was found
	 */
	Checked check(Path root, String custodian, Instant from, Instant to, boolean originals) throws IOException {
		Checked checked = new Checked();
		// Records whose data key a GDPR erasure destroyed cannot be restored by design:
		// they are counted apart, never expected and never a shortfall.
		Set<String> expected = new HashSet<>();
		this.jdbc.query(
				"""
						SELECT ids.id, d.destroyed_at IS NOT NULL FROM (
						SELECT m.message_id AS id, m.block_id FROM vault_message m
						JOIN vault_conversation c ON c.id = m.conversation
						JOIN vault_custodian k ON k.id = c.custodian_id
						WHERE k.name = ? AND (?::timestamptz IS NULL OR m.sent_at >= ?) AND (?::timestamptz IS NULL OR m.sent_at < ?)
						UNION
						SELECT m.message_id, m.block_id FROM vault_message m
						JOIN vault_message_holder h ON h.message_id = m.message_id
						JOIN vault_custodian k ON k.id = h.custodian_id
						WHERE k.name = ? AND (?::timestamptz IS NULL OR m.sent_at >= ?) AND (?::timestamptz IS NULL OR m.sent_at < ?)
						) ids JOIN vault_block b ON b.id = ids.block_id JOIN vault_data_key d ON d.id = b.data_key_id
						""",
				(rs) -> {
					if (rs.getBoolean(2)) {
						checked.erasedRecords++;
					}
					else {
						expected.add(java.util.HexFormat.of().formatHex(rs.getBytes(1)));
					}
				}, custodian, ts(from), ts(from), ts(to), ts(to), custodian, ts(from), ts(from), ts(to), ts(to));
		checked.indexRecords = expected.size();
		Map<String, String> sums = sums(root, checked);
		Set<String> seen = new HashSet<>(expected.size() * 2);
		Path conversations = root.resolve(Restorer.CONVERSATIONS);
		List<Path> directories = new ArrayList<>();
		if (Files.isDirectory(conversations)) {
			try (Stream<Path> found = Files.walk(conversations, 2)) {
				found.filter((dir) -> Files.isRegularFile(dir.resolve(Restorer.RECORDS)))
					.sorted()
					.forEach(directories::add);
			}
		}
		for (Path directory : directories) {
			conversation(root, directory, expected, seen, sums, checked);
		}
		for (String id : expected) {
			if (!seen.contains(id)) {
				checked.problem("record", id, "message " + id + " is in the index but was not restored");
			}
		}
		if (originals) {
			originals(root, custodian, sums, checked);
		}
		return checked;
	}

	private Map<String, String> sums(Path root, Checked checked) throws IOException {
		Map<String, String> sums = new LinkedHashMap<>();
		Path list = root.resolve(RestoredFiles.SUMS);
		if (!Files.isRegularFile(list)) {
			checked.problem("file", RestoredFiles.SUMS, "the restore wrote no " + RestoredFiles.SUMS);
			return sums;
		}
		for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
			String listed = line.substring(0, 64);
			String path = line.substring(66);
			Path file = root.resolve(path);
			String actual = Files.isRegularFile(file) ? sha256(file) : null;
			if (!listed.equals(actual)) {
				checked.problem("file", path,
						path + ((actual != null) ? " hashes to " + actual + ", listed " + listed : " is missing"));
			}
			sums.put(path, actual);
			checked.files++;
		}
		return sums;
	}

	private void conversation(Path root, Path directory, Set<String> expected, Set<String> seen,
			Map<String, String> sums, Checked checked) throws IOException {
		String prefix = root.relativize(directory).toString().replace('\\', '/') + "/";
		Map<String, Conversation> states = new HashMap<>();
		Path statesFile = directory.resolve(Restorer.STATES);
		if (Files.isRegularFile(statesFile)) {
			for (String line : Files.readAllLines(statesFile, StandardCharsets.UTF_8)) {
				byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
				states.put(Sha256.hex(bytes), CanonicalForms.decodeConversationState(bytes));
			}
		}
		Set<String> media = new HashSet<>();
		for (Map.Entry<String, String> sum : sums.entrySet()) {
			if (sum.getKey().startsWith(prefix + Restorer.MEDIA + "/") && sum.getValue() != null) {
				media.add(sum.getValue());
			}
		}
		MessageDigest digest = Sha256.digest();
		try (BufferedReader lines = Files.newBufferedReader(directory.resolve(Restorer.RECORDS),
				StandardCharsets.UTF_8)) {
			String line;
			while ((line = lines.readLine()) != null) {
				checked.restoredRecords++;
				byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
				if (bytes.length < HEAD + 2 || !line.startsWith("{\"id\":\"")) {
					checked.problem("record", null, prefix + Restorer.RECORDS + ": a line that is no restored record");
					continue;
				}
				String id = line.substring(7, 71);
				String sha = line.substring(83, 147);
				byte[] canonical = java.util.Arrays.copyOfRange(bytes, HEAD, bytes.length - 1);
				String actual = java.util.HexFormat.of().formatHex(digest.digest(canonical));
				if (!actual.equals(sha)) {
					checked.problem("record", id,
							"message " + id + ": its restored bytes hash to " + actual + ", not " + sha);
					continue;
				}
				ChatRecord record;
				try {
					record = CanonicalForms.decode(canonical, (state) -> {
						Conversation conversation = states.get(state);
						if (conversation == null) {
							throw new IllegalArgumentException("its conversation state " + state + " was not restored");
						}
						return conversation;
					});
				}
				catch (RuntimeException ex) {
					checked.problem("record", id, "message " + id + ": " + ex.getMessage());
					continue;
				}
				String recomputed = MessageIdentity.of(record);
				if (!recomputed.equals(id)) {
					checked.problem("record", id, "message " + id + ": the restored record is message " + recomputed);
					continue;
				}
				if (!expected.contains(id)) {
					checked.problem("record", id,
							"message " + id + " was restored but is not in the index for the custodian");
					continue;
				}
				if (!seen.add(id)) {
					checked.problem("record", id, "message " + id + " was restored twice");
					continue;
				}
				for (Attachment attachment : record.attachments()) {
					if (attachment.status() == AttachmentStatus.PRESENT && attachment.sha256() != null
							&& !media.contains(attachment.sha256())) {
						checked.problem("media", attachment.sha256(), "media " + attachment.sha256() + " ("
								+ attachment.name() + ") of message " + id + " was not restored bit-exact");
					}
					else if (attachment.status() == AttachmentStatus.PRESENT && attachment.sha256() != null) {
						checked.media++;
					}
				}
				checked.verifiedRecords++;
			}
		}
	}

	private void originals(Path root, String custodian, Map<String, String> sums, Checked checked) {
		Set<String> restored = new HashSet<>();
		for (Map.Entry<String, String> sum : sums.entrySet()) {
			if (sum.getKey().contains("/" + Restorer.ORIGINALS + "/") && sum.getValue() != null) {
				restored.add(sum.getValue());
			}
		}
		this.jdbc.query("""
				SELECT DISTINCT encode(e.sha256, 'hex'), e.receipt_id FROM vault_receipt_entry e
				JOIN vault_receipt r ON r.id = e.receipt_id
				JOIN vault_custodian k ON k.id = r.custodian_id
				JOIN vault_receipt_conversation rc ON rc.receipt_id = e.receipt_id AND rc.entry = e.ordinal
				JOIN vault_data_key rk ON rk.id = r.data_key_id
				JOIN vault_file f ON f.id = e.file_id
				JOIN vault_data_key fk ON fk.id = f.data_key_id
				WHERE k.name = ? AND rk.destroyed_at IS NULL AND fk.destroyed_at IS NULL
				ORDER BY 2, 1
				""", (rs) -> {
			checked.originals++;
			if (!restored.contains(rs.getString(1))) {
				checked.problem("original", rs.getString(1), "export file " + rs.getString(1) + " of receipt "
						+ rs.getLong(2) + " was not restored bit-exact");
			}
		}, custodian);
	}

	private static Timestamp ts(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static String sha256(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return Sha256.hex(in).sha256();
		}
	}

	/** What a check found. */
	static final class Checked {

		/** The custodian's index rows that can be restored (erased ones not counted). */
		long indexRecords;

		/** The custodian's index rows a GDPR erasure made unreadable. */
		long erasedRecords;

		long restoredRecords;

		long verifiedRecords;

		long media;

		long originals;

		long files;

		long problemCount;

		final List<Shortfall> problems = new ArrayList<>();

		void problem(String kind, String item, String detail) {
			this.problemCount++;
			if (this.problems.size() < LISTED) {
				this.problems.add(new Shortfall(kind, item, detail));
			}
		}

	}

	/**
	 * One thing missing or wrong.
	 *
	 * @param kind record, media, original, file, count, restore
	 * @param item the message id, SHA-256 or path, if one
	 * @param detail one line
	 */
	record Shortfall(String kind, String item, String detail) {
	}

}
