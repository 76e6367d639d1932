package io.chatvault.integrity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.chatvault.cli.CommandDispatcher;
import io.chatvault.cli.ExitCode;
import io.chatvault.message.Sha256;
import io.chatvault.storage.FilesystemObjectStore;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ReplicatedObjectStore;
import io.chatvault.storage.S3ObjectStore;
import io.chatvault.vault.ExportReceipt;
import io.chatvault.vault.Vault;
import io.chatvault.vault.VaultCatalog;
import io.chatvault.vault.VaultCatalog.ItemKind;
import io.chatvault.vault.VaultReader;
import software.amazon.awssdk.core.sync.RequestBody;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An archive to check and the means to damage it: the sample exports migrated with
 * quarantined input, a snapshot of everything it reads back (records, originals, media,
 * quarantined bytes), damage done to objects of the primary store (and of the replica) as
 * bit rot or an intruder would do it, and the job run through the command line. Works on
 * the filesystem store and on S3 (where a damaged object is a new current version over
 * the locked one, and a deleted one a delete marker: what Object Lock lets anyone do).
 */

class IntegrityFixture {

	private final JdbcTemplate jdbc;

	private final VaultCatalog catalog;

	private final Vault vault;

	private final VaultReader reader;

	private final ReplicatedObjectStore store;

	private final Set<String> damaged = new HashSet<>();

	private final Set<String> damagedInBoth = new HashSet<>();

	IntegrityFixture(JdbcTemplate jdbc, VaultCatalog catalog, Vault vault, VaultReader reader, ObjectStore store) {
		this.jdbc = jdbc;
		this.catalog = catalog;
		this.vault = vault;
		this.reader = reader;
		this.store = (ReplicatedObjectStore) store;
	}

	/** A directory for the application's home, removed when the JVM ends. */
	static Path temporaryHome(String name) {
		try {
			Path home = Files.createTempDirectory(name);
			home.toFile().deleteOnExit();
			return home;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Migrates the sample exports, and an export of garbage that is quarantined. */
	void archiveSamples(CommandDispatcher dispatcher, Path work) throws IOException {
		Run samples = command(dispatcher, "migrate", Path.of("samples/exports").toAbsolutePath().toString());
		assertThat(samples.exitCode()).as(samples.output()).isEqualTo(ExitCode.COMPLETED);
		Path garbage = Files.createDirectories(work).resolve("WhatsApp Chat with Garbage.txt");
		Files.writeString(garbage, """
				garbage before the first header
				more garbage, line two
				12/03/2024, 08:55 - Ravi Patel: Morning
				""");
		Run quarantined = command(dispatcher, "migrate", garbage.toString(), "custodian=garbage-test");
		assertThat(quarantined.exitCode()).as(quarantined.output()).isEqualTo(ExitCode.COMPLETED_WITH_QUARANTINE);
	}

	Run run(CommandDispatcher dispatcher, String... parameters) {
		List<String> line = new ArrayList<>(List.of("run", "checksum-sampling"));
		line.addAll(List.of(parameters));
		return command(dispatcher, line.toArray(String[]::new));
	}

	static Run command(CommandDispatcher dispatcher, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ExitCode code = dispatcher.dispatch(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
	}

	long count(String table) {
		return this.jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
	}

	/**
	 * Everything the archive reads back, by name: each record's canonical bytes, each
	 * receipt's files, each media file, each quarantined input, as SHA-256.
	 */
	Map<String, String> snapshot() throws IOException {
		Map<String, String> read = new TreeMap<>();
		for (String id : this.jdbc.queryForList("SELECT encode(message_id, 'hex') FROM vault_message", String.class)) {
			read.put("record " + id, Sha256.hex(this.vault.readCanonical(id)));
		}
		for (Long receipt : this.jdbc.queryForList("SELECT id FROM vault_receipt WHERE object_key <> '' ORDER BY id",
				Long.class)) {
			for (ExportReceipt.Entry entry : this.reader.receipt(receipt).entries()) {
				Optional<InputStream> original = this.reader.openOriginal(entry);
				if (original.isPresent()) {
					try (InputStream in = original.get()) {
						read.put("original " + receipt + "/" + entry.ordinal(), Sha256.hex(in.readAllBytes()));
					}
				}
			}
		}
		for (String media : this.jdbc.queryForList("SELECT DISTINCT encode(f.sha256, 'hex') FROM vault_file f "
				+ "JOIN vault_message_attachment a ON a.file_id = f.id", String.class)) {
			try (InputStream in = this.reader.openMedia(media).orElseThrow()) {
				read.put("media " + media, Sha256.hex(in.readAllBytes()));
			}
		}
		for (String fingerprint : this.jdbc.queryForList("SELECT fingerprint FROM vault_quarantine", String.class)) {
			try (InputStream in = this.vault.openQuarantined(fingerprint)) {
				read.put("quarantine " + fingerprint, Sha256.hex(in.readAllBytes()));
			}
		}
		return read;
	}

	/** Every item of every kind the index holds. */
	long itemsInIndex() {
		return Stream.of(ItemKind.values()).mapToLong(this.catalog::count).sum();
	}

	/** Every item checked from the primary alone to content depth: the problems found. */
	List<String> primaryProblems() {
		List<String> problems = new ArrayList<>();
		for (ItemKind kind : ItemKind.values()) {
			long after = 0;
			List<VaultCatalog.StoredItem> page;
			do {
				page = this.catalog.items(kind, after, 500);
				for (VaultCatalog.StoredItem item : page) {
					VaultCatalog.Verification verification = this.catalog.verify(item, VaultCatalog.Depth.CONTENT);
					if (!verification.ok()) {
						problems.add(verification.problem());
					}
					after = item.id();
				}
			}
			while (page.size() == 500);
		}
		return problems;
	}

	List<String> storeNames() {
		return List.of(this.store.primary().name(), this.store.replica().name());
	}

	boolean primaryHolds(String key) {
		return this.store.primary().head(key).isPresent();
	}

	/**
	 * Flips a byte in some objects of the primary and deletes others (each object at most
	 * once per fixture).
	 * @return the keys the index names for them
	 */
	List<String> damagePrimary(long seed, int corrupt, int delete) throws IOException {
		List<String> keys = pick(seed, corrupt + delete);
		Random random = new Random(seed);
		for (int i = 0; i < keys.size(); i++) {
			if (i < corrupt) {
				corrupt(this.store.primary(), keys.get(i), random);
			}
			else {
				delete(this.store.primary(), keys.get(i));
			}
		}
		return keys;
	}

	/**
	 * A custodian with an export receipt and records, none of whose objects this fixture
	 * left damaged in both copies.
	 */
	String custodianWithNothingDamaged() {
		return this.jdbc
			.queryForList(
					"SELECT DISTINCT u.name FROM vault_receipt r JOIN vault_custodian u ON u.id = r.custodian_id "
							+ "WHERE r.object_key <> '' AND EXISTS (SELECT 1 FROM vault_data_key k JOIN vault_block b "
							+ "ON b.data_key_id = k.id WHERE k.custodian = u.name AND b.kind = 1) ORDER BY 1",
					String.class)
			.stream()
			.filter((
					custodian) -> this.catalog.objectKeysOfCustodian(custodian).stream().noneMatch(this::damagedInBoth))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("every custodian has an object damaged in both copies"));
	}

	/** Whether this fixture damaged the object in both copies. */
	boolean damagedInBoth(String key) {
		return this.damagedInBoth.contains(IntegrityRepairs.baseKey(key));
	}

	/** Flips a byte in objects of both the primary and the replica. */
	List<String> damageBoth(long seed, int count) throws IOException {
		List<String> keys = pick(seed, count);
		Random random = new Random(seed);
		for (String key : keys) {
			corrupt(this.store.primary(), key, random);
			corrupt(this.store.replica(), key, random);
			this.damagedInBoth.add(IntegrityRepairs.baseKey(key));
		}
		return keys;
	}

	private List<String> pick(long seed, int count) {
		List<String> candidates = new ArrayList<>(this.jdbc.queryForList("""
				SELECT object_key FROM vault_pack
				UNION ALL SELECT object_key FROM vault_receipt WHERE object_key <> ''
				UNION ALL SELECT object_key FROM vault_quarantine WHERE parts = 0
				ORDER BY 1
				""", String.class));
		candidates.removeIf((key) -> this.damaged.contains(IntegrityRepairs.baseKey(key)));
		Collections.shuffle(candidates, new Random(seed));
		List<String> picked = new ArrayList<>(candidates.subList(0, count));
		picked.forEach((key) -> this.damaged.add(IntegrityRepairs.baseKey(key)));
		return picked;
	}

	private static void corrupt(ObjectStore store, String key, Random random) throws IOException {
		byte[] bytes;
		try (InputStream in = store.get(key).orElseThrow()) {
			bytes = in.readAllBytes();
		}
		bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
		if (store instanceof FilesystemObjectStore filesystem) {
			Path file = filesystem.root().resolve(key);
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
			Files.write(file, bytes);
		}
		else if (store instanceof S3ObjectStore s3) {
			// A new current version over the locked one: the locked version stays.
			s3.client().putObject((request) -> request.bucket(s3.bucket()).key(key), RequestBody.fromBytes(bytes));
		}
		else {
			throw new IllegalStateException("cannot damage " + store.name());
		}
	}

	private static void delete(ObjectStore store, String key) throws IOException {
		if (store instanceof FilesystemObjectStore filesystem) {
			Files.delete(filesystem.root().resolve(key));
		}
		else if (store instanceof S3ObjectStore s3) {
			// A delete marker: Object Lock allows it; the locked version stays, hidden.
			s3.client().deleteObject((request) -> request.bucket(s3.bucket()).key(key));
		}
		else {
			throw new IllegalStateException("cannot damage " + store.name());
		}
		assertThat(store.head(key)).isEmpty();
	}

	Map<String, Object> runRow(String day, boolean full) {
		return this.jdbc.queryForMap("SELECT * FROM integrity_run WHERE day = ? AND full_pass = ?", Date.valueOf(day),
				full);
	}

	List<Map<String, Object>> kindRows(String day, boolean full) {
		return this.jdbc.queryForList("SELECT k.* FROM integrity_run_kind k JOIN integrity_run r "
				+ "ON r.job_instance_id = k.job_instance_id WHERE r.day = ? AND r.full_pass = ? ORDER BY k.kind",
				Date.valueOf(day), full);
	}

	List<Map<String, Object>> incidents(String day) {
		return this.jdbc.queryForList("SELECT * FROM integrity_incident WHERE day = ? ORDER BY id", Date.valueOf(day));
	}

	List<String> auditActions() {
		return this.jdbc.queryForList("SELECT DISTINCT action FROM audit_entry", String.class);
	}

	/**
	 * Draws a kind's sample again as an auditor would, in SQL from the index, with the
	 * function docs/integrity.md gives.
	 */
	long redraw(String day, Map<String, Object> kind) {
		String name = (String) kind.get("kind");
		String from = switch (ItemKind.valueOf(name)) {
			case PACK -> "vault_pack x WHERE TRUE";
			case RECEIPT -> "vault_receipt x WHERE x.object_key <> ''";
			case QUARANTINE -> "vault_quarantine x WHERE TRUE";
			case RECORD_BLOCK -> "vault_block x WHERE x.kind = 1";
			case CONVERSATION_BLOCK -> "vault_block x WHERE x.kind = 2";
			case ORIGINAL_CHUNK -> "vault_block x WHERE x.kind = 3";
			case MEDIA_CHUNK -> "vault_block x WHERE x.kind = 4";
			case FILE_MANIFEST -> "vault_block x WHERE x.kind = 5";
		};
		return this.jdbc.queryForObject("SELECT count(*) FROM " + from + " AND x.id <= ? AND substr(encode(sha256("
				+ "convert_to('chatvault-sample-v1|' || ? || '|' || ? || '|' || x.id, 'UTF8')), 'hex'), 1, 16) <= ?",
				Long.class, kind.get("max_id"), day, name, kind.get("threshold"));
	}

	/**
	 * What a command printed and returned.
	 *
	 * @param exitCode the exit code
	 * @param output stdout and stderr
	 */
	record Run(ExitCode exitCode, String output) {
	}

	/** Makes the catalog fail a chosen check: a crash in the middle of a run. */
	@TestConfiguration
	static class Faults {

		private final AtomicInteger failAfter = new AtomicInteger(-1);

		@Bean
		static BeanPostProcessor failingCatalog(ObjectProvider<Faults> faults) {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof VaultCatalog catalog) ? new FailingCatalog(catalog, faults) : bean;
				}
			};
		}

		@Bean
		IntegrityFixture integrityFixture(JdbcTemplate jdbc, VaultCatalog catalog, Vault vault, VaultReader reader,
				ObjectStore store) {
			return new IntegrityFixture(jdbc, catalog, vault, reader, store);
		}

		/** The check after this many more fails. */
		void failAfterChecks(int checks) {
			this.failAfter.set(checks);
		}

		boolean failNow() {
			int left = this.failAfter.getAndUpdate((n) -> (n >= 0) ? n - 1 : n);
			return left == 0;
		}

	}

	record FailingCatalog(VaultCatalog catalog, ObjectProvider<Faults> faults) implements VaultCatalog {

		@Override
		public long count(ItemKind kind) {
			return this.catalog.count(kind);
		}

		@Override
		public List<StoredItem> items(ItemKind kind, long afterId, int limit) {
			return this.catalog.items(kind, afterId, limit);
		}

		@Override
		public List<Drawable> drawable(ItemKind kind, long afterId, int limit) {
			return this.catalog.drawable(kind, afterId, limit);
		}

		@Override
		public Optional<StoredItem> item(ItemKind kind, long id) {
			return this.catalog.item(kind, id);
		}

		@Override
		public long records() {
			return this.catalog.records();
		}

		@Override
		public Verification verify(StoredItem item, Depth depth) {
			if (this.faults.getObject().failNow()) {
				throw new IllegalStateException("injected failure while checking " + item.objectKey());
			}
			return this.catalog.verify(item, depth);
		}

		@Override
		public List<PackItems> packs(long afterPackId, long toPackId, int limit) {
			return this.catalog.packs(afterPackId, toPackId, limit);
		}

		@Override
		public void prepare(List<PackItems> packs) {
			this.catalog.prepare(packs);
		}

		@Override
		public PackVerification verifyPack(PackItems pack, boolean whole) {
			// One check per item of the pack.
			for (int i = (whole ? 0 : 1); i <= pack.blocks().size(); i++) {
				if (this.faults.getObject().failNow()) {
					throw new IllegalStateException("injected failure while checking " + pack.pack().objectKey());
				}
			}
			return this.catalog.verifyPack(pack, whole);
		}

		@Override
		public Verification verifyReplica(StoredItem item, Depth depth) {
			return this.catalog.verifyReplica(item, depth);
		}

		@Override
		public Repair repair(StoredItem item, String reason) {
			return this.catalog.repair(item, reason);
		}

		@Override
		public List<String> objectKeysOfCustodian(String custodian) {
			return this.catalog.objectKeysOfCustodian(custodian);
		}

		@Override
		public List<String> objectKeysOfConversation(String source, String conversationId) {
			return this.catalog.objectKeysOfConversation(source, conversationId);
		}

	}

}
