package io.chatvault.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.chatvault.ChatVaultApplication;
import io.chatvault.audit.AuditVerification.Finding;
import io.chatvault.audit.AuditVerification.Kind;
import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.storage.ObjectStore;
import io.chatvault.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 3 of issue 11: rows of {@code audit_entry} edited, deleted, inserted or
 * reordered directly in PostgreSQL, with the triggers off as a database administrator
 * would do it, make {@code chatvault audit verify} fail with exit 10 and name the entry,
 * also when the editor recomputes every hash after the change; entries cut off the end
 * are caught against the last anchor. Each test restores the rows it tampered with, so
 * the chain and its anchors (write-once, they stay) agree again for the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditVerifyIntegrationTests {

	@TempDir
	static Path home;

	static TestDatabase.Coordinates database;

	static ConfigurableApplicationContext context;

	static AuditLog log;

	static AuditAnchors anchors;

	static AuditVerifier verifier;

	static JdbcTemplate jdbc;

	static CommandDispatcher dispatcher;

	static String token;

	List<ChainRow> snapshot;

	@BeforeAll
	static void start() {
		database = TestDatabase.freshDatabase();
		context = new SpringApplicationBuilder(ChatVaultApplication.class).web(WebApplicationType.NONE)
			.run("--chatvault.home=" + home, "--chatvault.db.url=" + database.jdbcUrl(),
					"--chatvault.db.user=" + database.user(), "--chatvault.db.password=" + database.password());
		log = context.getBean(AuditLog.class);
		anchors = context.getBean(AuditAnchors.class);
		verifier = context.getBean(AuditVerifier.class);
		jdbc = context.getBean(JdbcTemplate.class);
		dispatcher = context.getBean(CommandDispatcher.class);
		// the commands are an auditor's: audit verify and audit log ask for a token
		token = auditorToken(context);
		// the chain starts afresh: the tests name its entries by sequence from 1
		dba("DELETE FROM audit_entry");
		// 40 anchored entries in three anchors, then 6 newer than the last anchor
		append(15);
		anchors.anchor("test 1");
		append(15);
		anchors.anchor("test 2");
		append(10);
		anchors.anchor("test 3");
		append(6);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@BeforeEach
	void takeSnapshot() {
		this.snapshot = rows();
		assertThat(verifier.verify().findings()).isEmpty();
	}

	@AfterEach
	void restore() throws SQLException {
		asDba((statement) -> statement.execute("DELETE FROM audit_entry"));
		try (Connection connection = dba()) {
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO audit_entry (" + ChainRow.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
				for (ChainRow row : this.snapshot) {
					bind(insert, row);
					insert.addBatch();
				}
				insert.executeBatch();
			}
		}
		assertThat(verifier.verify().findings()).isEmpty();
	}

	@Test
	void anIntactLogVerifiesAgainstEveryAnchorThroughTheCli() {
		// when
		Cli human = cli("audit", "verify");
		Cli json = cli("audit", "verify", "--json");

		// then
		assertThat(human.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(human.out()).contains("46 entries; 3 anchors")
			.contains("Intact: entries 1-46")
			.contains("the newest 6 are not anchored yet");
		JsonNode node = JsonMapper.builder().build().readTree(json.out());
		assertThat(node.get("intact").asBoolean()).isTrue();
		assertThat(node.get("lastAnchor").get("lastSequence").asLong()).isEqualTo(40);
		assertThat(node.get("lastAnchor").get("objectKey").asString()).isEqualTo("audit/anchors/000000000003.json");
		// each verification is itself in the log, after the ones checked
		assertThat(rows()).last().extracting(ChainRow::action).isEqualTo("audit.verify");
	}

	@Test
	void anEditedEntryIsNamed() {
		// when
		dba("UPDATE audit_entry SET actor = 'someone-else' WHERE sequence = 12");
		Cli result = cli("audit", "verify");

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(result.out()).contains("EDITED: entry 12 was edited").contains("000000000001.json");
		assertThat(first()).isEqualTo(new Expected(Kind.EDITED, 12));
	}

	@Test
	void anEditWhoseEditorRecomputedEveryHashAfterItIsNamedByTheAnchors() {
		// when: edited, and the chain from there recomputed so that it links up again
		dba("UPDATE audit_entry SET details = '{\"records\":0}' WHERE sequence = 20");
		rechainFrom(20);

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.EDITED, 20));
	}

	@Test
	void aDeletedEntryIsNamed() {
		// when
		dba("DELETE FROM audit_entry WHERE sequence = 7");

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.DELETED, 7));
		assertThat(message()).contains("entry 7 is missing");
	}

	@Test
	void aDeletionHiddenByRenumberingAndRecomputingIsNamed() {
		// when
		dba("DELETE FROM audit_entry WHERE sequence = 18");
		renumber(19, -1);
		rechainFrom(18);

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.DELETED, 18));
	}

	@Test
	void anInsertedEntryIsNamed() {
		// when: the entries from 25 on moved up one place, a forged entry 25 that chains
		renumber(25, +1);
		forge(25);
		rechainFrom(25);

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.INSERTED, 25));
		assertThat(message()).contains("now sits at 26");
	}

	@Test
	void reorderedEntriesAreNamed() {
		// when: entries 33 and 34 swap places, each keeping its own hashes
		dba("UPDATE audit_entry SET sequence = 1000033 WHERE sequence = 33");
		dba("UPDATE audit_entry SET sequence = 33 WHERE sequence = 34");
		dba("UPDATE audit_entry SET sequence = 34 WHERE sequence = 1000033");

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.REORDERED, 33));
		assertThat(message()).contains("its place holds entry 34").contains("sits at 34");
	}

	@Test
	void changesNewerThanTheLastAnchorAreNamedByTheChainAlone() {
		// when
		dba("UPDATE audit_entry SET outcome = 'denied' WHERE sequence = 43");

		// then
		assertThat(first()).isEqualTo(new Expected(Kind.EDITED, 43));
		assertThat(message()).contains("newer than the last anchor");

		// and when an entry there is deleted instead
		restoreNow();
		dba("DELETE FROM audit_entry WHERE sequence = 44");
		assertThat(first()).isEqualTo(new Expected(Kind.DELETED, 44));

		// and when a forged entry that chains is inserted there, the entries after it
		// moved up (had the editor recomputed all of them too, only an anchor could tell)
		restoreNow();
		renumber(42, +1);
		forge(42);
		assertThat(first()).isEqualTo(new Expected(Kind.INSERTED, 42));
		assertThat(message()).contains("whose entry 42 now sits at 43");
	}

	@Test
	void cuttingOffTheNewestEntriesIsCaughtAgainstTheLastAnchor() {
		// when: entries 38 to the end deleted
		dba("DELETE FROM audit_entry WHERE sequence >= 38");
		Cli result = cli("audit", "verify");

		// then
		assertThat(result.exitCode()).isEqualTo(ExitCode.INTEGRITY_FAILURE);
		assertThat(verifier.verify().findings()).extracting(Finding::kind).contains(Kind.TRUNCATED);
		assertThat(result.out()).contains("TRUNCATED: entries 38-40 are missing")
			.contains("anchor 3")
			.contains("audit/anchors/000000000003.json");
	}

	@Test
	void truncationIsCaughtEvenWhenTheAnchorTableIsEmptied() throws SQLException {
		// given
		List<AuditAnchor> anchorRows = jdbc.query("SELECT * FROM audit_anchor ORDER BY anchor_number",
				AuditAnchors::anchor);

		// when: the store's anchors are out of a DBA's reach; the table is not
		dba("DELETE FROM audit_entry WHERE sequence >= 20");
		dba("DELETE FROM audit_anchor");
		try {
			// then
			AuditVerification verification = verifier.verify();
			assertThat(verification.anchors()).isEqualTo(3);
			assertThat(verification.findings()).extracting(Finding::kind).containsExactly(Kind.TRUNCATED);
			assertThat(verification.findings().get(0).sequence()).isEqualTo(20);
		}
		finally {
			try (Connection connection = dba(); PreparedStatement insert = connection.prepareStatement("""
					INSERT INTO audit_anchor (anchor_number, first_sequence, last_sequence, last_hash, object_key,
						object_sha256, reason, anchored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
				for (AuditAnchor anchor : anchorRows) {
					insert.setLong(1, anchor.number());
					insert.setLong(2, anchor.firstSequence());
					insert.setLong(3, anchor.lastSequence());
					insert.setBytes(4, anchor.lastHash());
					insert.setString(5, anchor.objectKey());
					insert.setBytes(6, anchor.objectSha256());
					insert.setString(7, anchor.reason());
					insert.setTimestamp(8, Timestamp.from(anchor.anchoredAt()));
					insert.executeUpdate();
				}
			}
		}
	}

	@Test
	@Order(Integer.MAX_VALUE) // it anchors the entries the other tests expect unanchored
	void anAnchorWrittenByAProcessThatDiedBeforeRecordingItIsAdopted() throws Exception {
		// given: an anchor object for the next number, not in the table (the process died
		// between the put and the insert)
		long before = anchors.lastRecorded().orElseThrow().number();
		long last = anchors.lastRecorded().orElseThrow().lastSequence();
		AnchorDocument orphan = new AnchorDocument(before + 1, anchors.lastRecorded().orElseThrow().objectSha256(),
				last + 1, last + 2,
				List.of(this.snapshot.get((int) last).entryHash(), this.snapshot.get((int) last + 1).entryHash()),
				"orphan", java.time.Instant.now());
		context.getBean(ObjectStore.class)
			.put(AuditAnchors.key(before + 1), orphan.toJson(),
					new io.chatvault.storage.WriteOptions(java.time.Instant.now().plusSeconds(3600),
							io.chatvault.storage.WriteOptions.LockMode.GOVERNANCE, false));

		// when
		AuditVerification seen = verifier.verify();
		AuditAnchor anchored = anchors.anchor("after the orphan").orElseThrow();

		// then: verification already counted it; the next anchor adopts it and follows it
		assertThat(seen.anchors()).isEqualTo(before + 1);
		assertThat(seen.findings()).isEmpty();
		assertThat(anchored.number()).isEqualTo(before + 2);
		assertThat(anchored.firstSequence()).isEqualTo(last + 3);
		assertThat(jdbc.queryForObject("SELECT reason FROM audit_anchor WHERE anchor_number = ?", String.class,
				before + 1))
			.isEqualTo("orphan");
		this.snapshot = rows();
	}

	@Test
	void aBrokenChainIsNeverAnchored() {
		// given
		dba("UPDATE audit_entry SET target = 'elsewhere' WHERE sequence = 45");

		// when / then
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> anchors.anchor("test"))
			.isInstanceOf(AuditChainBrokenException.class)
			.hasMessageContaining("entry 45");
	}

	@Test
	void theLogIsReadWithFilters() {
		// when
		Cli all = cli("audit", "log", "--action", "test.*", "--limit", "3");
		Cli json = cli("audit", "log", "--actor", "principal-2", "--json");
		Cli none = cli("audit", "log", "--actor", "nobody");

		// then
		assertThat(all.exitCode()).isEqualTo(ExitCode.COMPLETED);
		assertThat(all.out().lines()).hasSize(3);
		assertThat(all.out().lines().findFirst().orElseThrow()).startsWith("1  ").contains("test.event");
		JsonNode entries = JsonMapper.builder().build().readTree(json.out());
		assertThat(entries.isArray()).isTrue();
		assertThat(entries).isNotEmpty()
			.allSatisfy((entry) -> assertThat(entry.get("actor").asString()).isEqualTo("principal-2"));
		assertThat(entries.get(0).get("details").get("n").asInt()).isEqualTo(2);
		assertThat(none.out()).contains("No audit entries match.");
	}

	// --- helpers

	private static void append(int count) {
		long base = log.head().map(AuditEntry::sequence).orElse(0L);
		for (int i = 1; i <= count; i++) {
			long n = base + i;
			log.append(new AuditEvent("principal-" + (n % 4), "compliance", "test.event", "custodian:c" + n, "success",
					Map.of("n", n)));
		}
	}

	private record Expected(Kind kind, long sequence) {
	}

	private static Expected first() {
		Finding finding = verifier.verify().findings().get(0);
		return new Expected(finding.kind(), finding.sequence());
	}

	private static String message() {
		return verifier.verify().findings().get(0).message();
	}

	private void restoreNow() {
		try {
			restore();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<ChainRow> rows() {
		return jdbc.query("SELECT " + ChainRow.COLUMNS + " FROM audit_entry ORDER BY sequence", ChainRow::map);
	}

	/**
	 * Moves the entries from a sequence on by an offset (two steps: the key is unique).
	 */
	private static void renumber(long from, long offset) {
		dba("UPDATE audit_entry SET sequence = sequence + 1000000 WHERE sequence >= " + from);
		dba("UPDATE audit_entry SET sequence = sequence - 1000000 + (" + offset + ") WHERE sequence >= 1000000");
	}

	/** Inserts a forged entry at a free place, chained to the entry before it. */
	private static void forge(long place) {
		byte[] previous = jdbc.queryForObject("SELECT entry_hash FROM audit_entry WHERE sequence = ?", byte[].class,
				place - 1);
		ChainRow forged = new ChainRow(place, java.time.Instant.parse("2025-01-01T00:00:00Z"), "intruder", "",
				"grant.create", "custodian:ceo", "success", "{}", previous, null);
		ChainRow hashed = withHashes(forged, previous, forged.hashAt(previous, place));
		try (Connection connection = dba();
				PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO audit_entry (" + ChainRow.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
			bind(insert, hashed);
			insert.executeUpdate();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Recomputes previous and entry hashes of every entry from a sequence on, as a
	 * careful editor would.
	 */
	private static void rechainFrom(long from) {
		List<ChainRow> rows = rows();
		byte[] previous = AuditChain.GENESIS;
		for (ChainRow row : rows) {
			if (row.sequence() >= from) {
				byte[] hash = row.hashAt(previous, row.sequence());
				dbaUpdate("UPDATE audit_entry SET previous_hash = ?, entry_hash = ? WHERE sequence = ?", previous, hash,
						row.sequence());
				previous = hash;
			}
			else {
				previous = row.entryHash();
			}
		}
	}

	private static ChainRow withHashes(ChainRow row, byte[] previous, byte[] hash) {
		return new ChainRow(row.sequence(), row.recordedAt(), row.actor(), row.role(), row.action(), row.target(),
				row.outcome(), row.details(), previous, hash);
	}

	private static void bind(PreparedStatement insert, ChainRow row) throws SQLException {
		insert.setLong(1, row.sequence());
		insert.setTimestamp(2, Timestamp.from(row.recordedAt()));
		insert.setString(3, row.actor());
		insert.setString(4, row.role());
		insert.setString(5, row.action());
		insert.setString(6, row.target());
		insert.setString(7, row.outcome());
		insert.setString(8, row.details());
		insert.setBytes(9, row.previousHash());
		insert.setBytes(10, row.entryHash());
	}

	/**
	 * A connection as a database administrator who has switched the triggers off for the
	 * session ({@code session_replication_role = replica}, superuser only).
	 */
	private static Connection dba() throws SQLException {
		Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET session_replication_role = replica");
		}
		return connection;
	}

	private static void dba(String sql) {
		asDba((statement) -> statement.execute(sql));
	}

	private static void dbaUpdate(String sql, Object... arguments) {
		try (Connection connection = dba(); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < arguments.length; i++) {
				statement.setObject(i + 1, arguments[i]);
			}
			statement.executeUpdate();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void asDba(SqlAction action) {
		try (Connection connection = dba(); Statement statement = connection.createStatement()) {
			action.run(statement);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	private interface SqlAction {

		void run(Statement statement) throws SQLException;

	}

	private record Cli(ExitCode exitCode, String out, String err) {
	}

	private static Cli cli(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ExitCode code;
		System.setProperty(io.chatvault.access.CommandLineAccess.TOKEN_PROPERTY, token);
		try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
				PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
			code = dispatcher.dispatch(List.of(args), o, e);
		}
		finally {
			System.clearProperty(io.chatvault.access.CommandLineAccess.TOKEN_PROPERTY);
		}
		return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** An auditor with a token: who may verify and read the audit log. */
	static String auditorToken(ConfigurableApplicationContext context) {
		io.chatvault.access.Principals principals = context.getBean(io.chatvault.access.Principals.class);
		io.chatvault.access.Actor admin = new io.chatvault.access.Actor("test-admin", "admin");
		principals.create("audrey", "Audrey", java.util.Optional.empty(), java.util.Optional.empty(), admin);
		principals.grant("audrey", io.chatvault.access.Role.AUDITOR, io.chatvault.access.GrantScope.NONE,
				java.util.Optional.empty(), java.util.Optional.of("test"), java.util.Optional.empty(), admin);
		return principals.createToken("audrey", "test", java.util.Optional.empty(), admin).secret();
	}

}
