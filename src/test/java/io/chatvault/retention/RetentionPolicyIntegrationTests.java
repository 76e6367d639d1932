package io.chatvault.retention;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.chatvault.audit.AuditEvent;
import io.chatvault.cli.ExitCode;
import io.chatvault.crypto.ErasedException;
import io.chatvault.message.SourcePlatform;
import io.chatvault.vault.RetentionPolicy;
import io.chatvault.vault.VaultReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention policies per regulation, assigned by custodian group, custodian or source:
 * the longest covering period wins, is fixed at ingest on the pack (with the policy that
 * fixed it) and on the object's retain-until, and records of different classes never
 * share a pack. Legal holds: placed and released by compliance only, audited, reaching
 * every object holding a record in scope.
 */
class RetentionPolicyIntegrationTests {

	@TempDir
	static Path home;

	static RetentionFixture fixture;

	@BeforeAll
	static void start() {
		fixture = new RetentionFixture(home);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	private static Instant retainUntil(String objectKey) {
		return fixture.jdbc
			.queryForObject("SELECT retain_until FROM vault_pack WHERE object_key = ?", Timestamp.class, objectKey)
			.toInstant();
	}

	private static Map<String, Object> packRow(String objectKey) {
		return fixture.jdbc.queryForMap(
				"SELECT retention_policy, retention_statutory FROM vault_pack WHERE object_key = ?", objectKey);
	}

	@Test
	void theLongestCoveringPolicyWinsAndIsFixedOnThePackAndTheObject() {
		// given: FCA 5y for the traders group, HIPAA 6y for carol by name, MiFID 7y for
		// WhatsApp, a GDPR-minimal 1y for the Teams source
		ExitCode fca = fixture
			.cli(fixture.compliance, "retention", "set", "traders-fca", "--regulation", "fca-cobs-11.8", "--group",
					"traders")
			.code();
		ExitCode hipaa = fixture
			.cli(fixture.compliance, "retention", "set", "carol-hipaa", "--regulation", "hipaa", "--custodian", "carol")
			.code();
		fixture.cli(fixture.compliance, "retention", "set", "whatsapp-mifid", "--regulation", "mifid-ii", "--source",
				"WHATSAPP_EXPORT");
		fixture.cli(fixture.compliance, "retention", "set", "teams-gdpr", "--regulation", "gdpr-minimal", "--period",
				"P1Y", "--source", "TEAMS_GRAPH");
		Instant now = fixture.app.clock.instant();

		// when: one chunk of alice's Slack and WhatsApp records, carol's Slack records,
		// a Teams record of a custodian in no group
		List<String> alice = fixture.archive("alice",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "p-slack", "1", now.minusSeconds(60)),
				RetentionFixture.message(SourcePlatform.WHATSAPP_EXPORT, "p-wa", "2", now.minusSeconds(60)));
		List<String> carol = fixture.archive("carol",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "p-clinic", "3", now.minusSeconds(60)));
		List<String> nobody = fixture.archive("dora",
				RetentionFixture.message(SourcePlatform.TEAMS_GRAPH, "p-teams", "4", now.minusSeconds(60)));

		// then
		assertThat(fca).isEqualTo(ExitCode.COMPLETED);
		assertThat(hipaa).isEqualTo(ExitCode.COMPLETED);
		String slackPack = fixture.packOf(alice.get(0));
		String whatsappPack = fixture.packOf(alice.get(1));
		assertThat(slackPack).isNotEqualTo(whatsappPack);
		assertThat(retainUntil(slackPack)).isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(5).toInstant());
		assertThat(packRow(slackPack)).containsEntry("retention_policy", "traders-fca")
			.containsEntry("retention_statutory", true);
		assertThat(retainUntil(whatsappPack)).isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(7).toInstant());
		assertThat(packRow(whatsappPack)).containsEntry("retention_policy", "whatsapp-mifid");
		assertThat(retainUntil(fixture.packOf(carol.get(0))))
			.isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(6).toInstant());
		String teamsPack = fixture.packOf(nobody.get(0));
		// GDPR-minimal 1y is shorter than the 7y default, and does not cover the default
		assertThat(retainUntil(teamsPack)).isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(1).toInstant());
		assertThat(packRow(teamsPack)).containsEntry("retention_policy", "teams-gdpr")
			.containsEntry("retention_statutory", false);
		assertThat(fixture.store.head(slackPack).orElseThrow().retainUntil())
			.isEqualTo(now.atOffset(ZoneOffset.UTC).plusYears(5).toInstant());
	}

	@Test
	void onlyComplianceSetsPoliciesAndEveryChangeIsAudited() {
		// given
		long before = fixture.app.lastSequence();

		// when
		var denied = fixture.cli(fixture.employee, "retention", "set", "mine", "--regulation", "gdpr-minimal",
				"--period", "P1D");
		var set = fixture.cli(fixture.compliance, "retention", "set", "audited", "--regulation", "pdpa", "--group",
				"sg");
		var badPeriod = fixture.cli(fixture.compliance, "retention", "set", "x", "--regulation", "gdpr-minimal");
		var list = fixture.cli(fixture.compliance, "retention", "list");

		// then
		assertThat(denied.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(set.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(badPeriod.code()).isEqualTo(ExitCode.USAGE);
		assertThat(badPeriod.err()).contains("gdpr-minimal fixes no period");
		assertThat(list.out()).contains("audited  PDPA  P6Y  statutory  sources=*  groups=sg  custodians=*");
		assertThat(fixture.app.entriesAfter(before, "retention.policy.set")).extracting(AuditEvent::target)
			.containsExactly("policy:audited");
		assertThat(fixture.policies.policies()).extracting(RetentionPolicy::name).contains("audited");
		assertThat(fixture.policies.policies()
			.stream()
			.filter((p) -> p.name().equals("audited"))
			.findFirst()
			.orElseThrow()
			.period()).isEqualTo(Period.ofYears(6));
	}

	@Test
	void aHoldSetsTheLegalHoldOnEveryObjectInScopeAndReleaseClearsItWhereNoOtherCaseHolds() {
		// given: bob's records in March and in May, in separate packs
		Instant march = Instant.parse("2025-03-01T10:00:00Z");
		Instant may = Instant.parse("2025-05-01T10:00:00Z");
		List<String> inMarch = fixture.archive("bob",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "h-bob", "h1", march));
		List<String> inMay = fixture.archive("bob",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "h-bob-2", "h2", may));
		long before = fixture.app.lastSequence();

		// when
		var denied = fixture.cli(fixture.employee, "hold", "create", "CASE-1", "--custodian", "bob");
		var created = fixture.cli(fixture.compliance, "hold", "create", "CASE-1", "--custodian", "bob", "--from",
				"2025-02-01", "--to", "2025-04-01", "--reason", "SEC inquiry");
		var wider = fixture.cli(fixture.compliance, "hold", "create", "CASE-2", "--custodian", "bob");

		// then
		assertThat(denied.code()).isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(created.code()).as(created.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(wider.code()).isEqualTo(ExitCode.COMPLETED);
		String marchPack = fixture.packOf(inMarch.get(0));
		String mayPack = fixture.packOf(inMay.get(0));
		assertThat(fixture.store.head(marchPack).orElseThrow().legalHold()).isTrue();
		assertThat(fixture.store.head(mayPack).orElseThrow().legalHold()).isTrue();
		assertThat(fixture.jdbc.queryForList("SELECT object_key FROM retention_hold_object WHERE case_name = 'CASE-1'",
				String.class))
			.contains(marchPack)
			.doesNotContain(mayPack);

		// when: CASE-2 is released, CASE-1 still holds March
		var released = fixture.cli(fixture.compliance, "hold", "release", "CASE-2");
		var list = fixture.cli(fixture.compliance, "hold", "list");

		// then
		assertThat(released.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.store.head(marchPack).orElseThrow().legalHold()).isTrue();
		assertThat(fixture.store.head(mayPack).orElseThrow().legalHold()).isFalse();
		assertThat(list.out())
			.contains("CASE-1  active  custodians bob from 2025-02-01T00:00:00Z to 2025-04-01T00:00:00Z")
			.contains("CASE-2  released");
		assertThat(fixture.app.entriesAfter(before)).extracting(AuditEvent::action)
			.contains("access.denied", "hold.create", "hold.release");
		assertThat(fixture.app.entriesAfter(before, "hold.create")).extracting(AuditEvent::target)
			.containsExactly("case:CASE-1", "case:CASE-2");

		// when: CASE-1 is released
		fixture.cli(fixture.compliance, "hold", "release", "CASE-1");

		// then
		assertThat(fixture.store.head(marchPack).orElseThrow().legalHold()).isFalse();
		assertThat(fixture.cli(fixture.compliance, "hold", "create", "CASE-1", "--custodian", "bob").err())
			.contains("was released");
	}

	@Test
	void anErasureDestroysExactlyItsScopesKeysAndIsRefusedUnderAHoldOrInsideAStatutoryRetention() {
		// given: frank's two conversations, one of them also held by gina; hank's; ivan
		// held by a case; jane under a statutory policy
		Instant sent = Instant.parse("2025-06-01T08:00:00Z");
		List<String> shared = fixture.archive("frank",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-shared", "e1", sent),
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-shared", "e2", sent.plusSeconds(1)));
		fixture.archive("gina", RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-shared", "e1", sent));
		List<String> own = fixture.archive("frank",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-own", "e3", sent));
		List<String> hank = fixture.archive("hank",
				RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-hank", "e4", sent));
		fixture.archive("ivan", RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-ivan", "e5", sent));
		fixture.cli(fixture.compliance, "hold", "create", "E-CASE", "--custodian", "ivan");
		fixture.cli(fixture.compliance, "retention", "set", "jane-sec", "--regulation", "sec-17a-4", "--custodian",
				"jane");
		fixture.archive("jane", RetentionFixture.message(SourcePlatform.SLACK_EXPORT, "e-jane", "e6", sent));
		VaultReader reader = fixture.app.context.getBean(VaultReader.class);
		long liveKeys = fixture.jdbc.queryForObject("SELECT count(*) FROM vault_data_key WHERE destroyed_at IS NULL",
				Long.class);

		// when / then: refusals, with the reason and exit code 12
		var held = fixture.cli(fixture.compliance, "erase", "--custodian", "ivan", "--reason", "DSR-1");
		assertThat(held.code()).isEqualTo(ExitCode.REFUSED_BY_POLICY);
		assertThat(held.err()).contains("under legal hold E-CASE");
		var statutory = fixture.cli(fixture.compliance, "erase", "--custodian", "jane", "--reason", "DSR-2");
		assertThat(statutory.code()).isEqualTo(ExitCode.REFUSED_BY_POLICY);
		assertThat(statutory.err()).contains("inside the statutory retention of jane-sec until");
		var sharedRefusal = fixture.cli(fixture.compliance, "erase", "--custodian", "frank", "--reason", "DSR-3");
		assertThat(sharedRefusal.code()).isEqualTo(ExitCode.REFUSED_BY_POLICY);
		assertThat(sharedRefusal.err()).contains("also held by gina");
		assertThat(fixture.cli(fixture.employee, "erase", "--custodian", "hank", "--reason", "x").code())
			.isEqualTo(ExitCode.ACCESS_DENIED);
		assertThat(fixture.jdbc.queryForObject("SELECT count(*) FROM vault_data_key WHERE destroyed_at IS NULL",
				Long.class))
			.isEqualTo(liveKeys);

		// when: the shared conversation, then frank
		var conversation = fixture.cli(fixture.compliance, "erase", "--conversation", "SLACK_EXPORT:e-shared",
				"--reason", "DSR-4");
		var custodian = fixture.cli(fixture.compliance, "erase", "--custodian", "frank", "--reason", "DSR-5");

		// then: exactly those keys are gone; the scope reads as erased, the rest reads
		assertThat(conversation.code()).as(conversation.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(conversation.out()).contains("1 data key(s) destroyed, 2 record(s)");
		assertThat(custodian.code()).as(custodian.err()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.jdbc.queryForList(
				"SELECT scope FROM vault_data_key WHERE destroyed_at IS NOT NULL " + "ORDER BY scope", String.class))
			.containsExactly("conversation:SLACK_EXPORT:e-own:frank", "conversation:SLACK_EXPORT:e-shared:frank");
		for (String erased : List.of(shared.get(0), shared.get(1), own.get(0))) {
			assertThatThrownBy(() -> reader.record(erased)).isInstanceOf(ErasedException.class)
				.hasMessageContaining("erased: conversation:SLACK_EXPORT:e-")
				.hasMessageContaining("DSR-");
		}
		assertThat(reader.record(hank.get(0)).orElseThrow().record().body()).isEqualTo("body of e4");
		assertThat(fixture.app.entriesAfter(0, "retention.erase")).extracting(AuditEvent::outcome)
			.containsExactly("refused", "refused", "refused", "success", "success");
		assertThat(fixture.jdbc.queryForList("SELECT scope_kind || ':' || records FROM retention_erasure ORDER BY id",
				String.class))
			.containsExactly("conversation:2", "custodian:1");
	}

}
