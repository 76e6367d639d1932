package io.chatvault.retention;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.chatvault.access.AccessFixture;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Role;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.Participant;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.storage.ObjectStore;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.RetentionPolicies;
import io.chatvault.vault.Vault;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application on a fresh database with a controllable clock, a compliance officer's
 * token, and shortcuts to archive records for custodians.
 */
final class RetentionFixture implements AutoCloseable {

	final AccessFixture app;

	final JdbcTemplate jdbc;

	final Vault vault;

	final ObjectStore store;

	final RetentionPolicies policies;

	final String compliance;

	final String employee;

	RetentionFixture(Path home, String... properties) {
		this.app = AccessFixture.start(home, properties);
		this.jdbc = this.app.jdbc;
		this.vault = this.app.context.getBean(Vault.class);
		this.store = this.app.context.getBean(ObjectStore.class);
		this.policies = this.app.context.getBean(RetentionPolicies.class);
		// Tokens live 30 days from now: the tests move the clock around the real time,
		// which the stores' locks run on.
		this.app.clock.set(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
		this.app.custodian("alice", "traders");
		this.app.custodian("bob", "traders");
		this.app.custodian("carol", "clinic");
		this.compliance = this.app.principal("cora", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		this.employee = this.app.principal("alice-p", Optional.of("alice"), Role.EMPLOYEE,
				GrantScope.custodian("alice"));
	}

	/** A Slack message in a conversation, sent at a time. */
	static ChatRecord message(SourcePlatform source, String conversation, String id, Instant sentAt) {
		return ChatRecord
			.builder(source, new Conversation(conversation, ConversationType.CHANNEL, "general", null),
					RecordKind.MESSAGE, sentAt, new SourceLocation("export.zip", conversation + ".json", 1))
			.platformMessageId(id)
			.author(new Participant("U1", "Alice"))
			.body("body of " + id)
			.build();
	}

	/** Archives records for a custodian, one chunk; returns their message ids. */
	List<String> archive(String custodian, ChatRecord... records) {
		List<ArchiveRequest> requests = new ArrayList<>();
		for (ChatRecord record : records) {
			requests.add(this.vault.prepare(record, custodian));
		}
		this.vault.archive(requests);
		return requests.stream().map(ArchiveRequest::messageId).toList();
	}

	String packOf(String messageId) {
		return this.jdbc.queryForObject(
				"SELECT p.object_key FROM vault_message m JOIN vault_block b ON b.id = m.block_id "
						+ "JOIN vault_pack p ON p.id = b.pack_id WHERE m.message_id = decode(?, 'hex')",
				String.class, messageId);
	}

	AccessFixture.Cli cli(String token, String... args) {
		return this.app.cli(token, args);
	}

	@Override
	public void close() {
		this.app.close();
	}

}
