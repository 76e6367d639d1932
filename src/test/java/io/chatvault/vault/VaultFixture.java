package io.chatvault.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.Pkcs12KeyEncryptionKeys;
import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.FilesystemObjectStore;
import io.chatvault.storage.ReplicatedObjectStore;
import io.chatvault.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A real vault for tests: a fresh PostgreSQL database migrated by Flyway, a filesystem
 * object store and a PKCS#12 keystore in a directory, wired as the application wires
 * them.
 */
final class VaultFixture implements AutoCloseable {

	final Path directory;

	final TestDatabase.Coordinates database;

	final HikariDataSource dataSource;

	final JdbcTemplate jdbc;

	final DataSourceTransactionManager transactionManager;

	final ReplicatedObjectStore store;

	final FilesystemObjectStore primary;

	final Pkcs12KeyEncryptionKeys keks;

	final DataKeys dataKeys;

	final MediaVault media;

	final RetentionPolicies retention;

	final StoreWriter writer;

	final Holders holders;

	final Originals originals;

	final PackedVault vault;

	final PackedVaultReader reader;

	final PackedVaultCatalog catalog;

	/**
	 * The same vault with search tokens off at archive time: its rows get NULL tokens.
	 */
	final PackedVault untokenized;

	VaultFixture(Path directory) {
		this(directory, VaultProperties.defaults());
	}

	VaultFixture(Path directory, VaultProperties properties) {
		this.directory = directory;
		this.database = TestDatabase.freshDatabase();
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl(this.database.jdbcUrl());
		this.dataSource.setUsername(this.database.user());
		this.dataSource.setPassword(this.database.password());
		this.dataSource.setMaximumPoolSize(4);
		Flyway.configure().dataSource(this.dataSource).load().migrate();
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.transactionManager = new DataSourceTransactionManager(this.dataSource);
		this.primary = new FilesystemObjectStore(directory.resolve("objects"));
		this.store = new ReplicatedObjectStore(this.primary, new FilesystemObjectStore(directory.resolve("replica")));
		this.keks = new Pkcs12KeyEncryptionKeys(directory.resolve("keys/kek.p12"), Optional.of("test-password"));
		this.dataKeys = new DataKeys(this.jdbc, this.transactionManager, this.keks);
		this.writer = new StoreWriter(this.store, 4, "test-vault-writer");
		this.media = new MediaVault(this.store, this.writer, this.dataKeys, this.jdbc, properties.media());
		this.retention = new RetentionPolicies(this.jdbc, properties.retention());
		this.holders = new Holders(this.jdbc, this.transactionManager);
		this.originals = new Originals(this.store, this.writer, this.dataKeys, this.jdbc, this.holders, this.retention,
				this.transactionManager, properties, Clock.systemUTC());
		this.vault = new PackedVault(this.store, this.dataKeys, this.media, this.originals, this.retention,
				this.holders, this.dataSource, this.jdbc, this.transactionManager, Clock.systemUTC(), this.writer,
				properties, Optional.of(VaultFixture::tokens),
				new RecordReader(this.store, this.dataKeys, this.jdbc, this.holders));
		this.untokenized = new PackedVault(this.store, this.dataKeys, this.media, this.originals, this.retention,
				this.holders, this.dataSource, this.jdbc, this.transactionManager, Clock.systemUTC(), this.writer,
				properties, Optional.empty(), new RecordReader(this.store, this.dataKeys, this.jdbc, this.holders));
		this.reader = new PackedVaultReader(this.vault.records(), this.originals,
				new StoredFiles(this.store, this.dataKeys, this.jdbc), this.media, this.holders, this.jdbc);
		this.catalog = new PackedVaultCatalog(this.store, this.jdbc, this.transactionManager,
				new ContentChecks(this.store, this.dataKeys, this.jdbc, this.vault.records(), this.originals));
	}

	long count(String table) {
		return this.jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
	}

	Path objectFile(String key) {
		return this.directory.resolve("objects").resolve(key);
	}

	/** An object of the primary store, made writable as an intruder with root would. */
	Path writableObject(String key) throws IOException {
		Path file = objectFile(key);
		Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
		return file;
	}

	@Override
	public void close() {
		this.writer.close();
		this.dataSource.close();
	}

	/**
	 * Stand-in search tokens, derived from the record so that a test can tell them apart:
	 * its send time in milliseconds and its kind's code.
	 */
	static long[] tokens(ChatRecord record) {
		return new long[] { record.kind().code(), record.sentAt().toEpochMilli() };
	}

	static ChatRecord message(String conversation, String id, String body, Attachment... attachments) {
		ChatRecord.Builder builder = ChatRecord.builder(SourcePlatform.SLACK_EXPORT,
				new Conversation(conversation, ConversationType.CHANNEL, "general", null), RecordKind.MESSAGE,
				Instant.parse("2024-03-01T10:15:30Z"), new SourceLocation("export.zip", "general/2024-03-01.json", 7))
			.platformMessageId(id)
			.author(new Participant("U1", "Alice"))
			.body(body)
			.extra("client_msg_id", "c-" + id);
		for (Attachment attachment : attachments) {
			builder.attachment(attachment);
		}
		return builder.build();
	}

	static Attachment attachment(Path file, String mediaType) {
		return new Attachment(file.getFileName().toString(), mediaType, size(file), null, AttachmentStatus.PRESENT,
				null, ContentLocator.file(file));
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
