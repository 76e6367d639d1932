package io.chatvault.accessreview;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.access.Access;
import io.chatvault.access.AccessFixture;
import io.chatvault.access.AccessOutcome;
import io.chatvault.access.ContentScope;
import io.chatvault.access.Custodian;
import io.chatvault.access.GrantScope;
import io.chatvault.access.Operation;
import io.chatvault.access.Role;
import io.chatvault.cli.ExitCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Done means 3: the permission audit over a seeded organisation finds exactly the planted
 * problems (a leaver with a token, a grant beyond role, a dormant principal, a custodian
 * without consent, 1,200 reads in one day) and nothing else; the weekly access review
 * finds the abnormal access alone. Near misses are planted too: 999 and 1,000 records in
 * a day (not more than 1,000), a principal last used 89 days before the audit.
 */
class PermissionAuditIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	@BeforeAll
	static void organisation() {
		fixture = AccessFixture.start(home);
		// 212 days before the audit: an auditor who never used the grant (planted:
		// dormant)
		fixture.clock.set(Instant.parse("2024-09-01T10:00:00Z"));
		fixture.principals.create("old-p", "Old Auditor", Optional.empty(), Optional.empty(), AccessFixture.ADMIN);
		fixture.principals.grant("old-p", Role.AUDITOR, GrantScope.NONE, Optional.empty(), Optional.empty(),
				Optional.empty(), AccessFixture.ADMIN);
		// 89 days before the audit: an operator last used then (a near miss)
		fixture.clock.set(Instant.parse("2025-01-02T03:00:00Z"));
		String operator = fixture.principal("ops-p", Optional.empty(), Role.OPERATOR, GrantScope.NONE);
		fixture.authorize(operator, Operation.JOB_OPERATE, ContentScope.NONE);
		fixture.principals.revokeToken(operator.substring(4, 16), "rotated", AccessFixture.ADMIN);

		fixture.clock.set(Instant.parse("2025-03-10T08:00:00Z"));
		fixture.custodian("ann", "sales");
		fixture.custodian("ben", "sales");
		fixture.custodian("cat", "trading");
		fixture.custodian("lee", "trading");
		// planted: a custodian without consent
		fixture.custodians.save(new Custodian("dex", "Dex", Optional.of("hr-dex"), "trading", Custodian.Status.ACTIVE,
				Optional.empty(), Optional.empty(), List.of()), AccessFixture.ADMIN);

		String ann = fixture.principal("ann-p", Optional.of("ann"), Role.EMPLOYEE, GrantScope.custodian("ann"));
		String supervisor = fixture.principal("ben-p", Optional.of("ben"), Role.SUPERVISOR, GrantScope.group("sales"));
		String compliance = fixture.principal("comp", Optional.empty(), Role.COMPLIANCE, GrantScope.ALL);
		String admin = fixture.principal("adm", Optional.empty(), Role.ADMIN, GrantScope.NONE);
		// planted: an employee granted a colleague's conversations beyond the role
		String cat = fixture.principal("cat-p", Optional.of("cat"), Role.EMPLOYEE, GrantScope.custodian("cat"));
		fixture.principals.grant("cat-p", Role.EMPLOYEE, GrantScope.custodian("ann"), Optional.empty(),
				Optional.empty(), Optional.of("covers ann's clients while she is on leave"), AccessFixture.ADMIN);
		// planted: a leaver whose token was never revoked (departed outside the HR sync)
		fixture.principals.create("lee-p", "Lee", Optional.of("lee"), Optional.empty(), AccessFixture.ADMIN);
		fixture.principals.createToken("lee-p", "laptop", Optional.empty(), AccessFixture.ADMIN);
		fixture.jdbc.update(
				"UPDATE access_custodian SET status = 'departed', departure_date = DATE '2025-03-20' WHERE id = 'lee'");

		// planted: 1,200 records in one day; near misses: 999 and 1,000
		read(compliance, ContentScope.custodians("cat"), 12, 100);
		read(ann, ContentScope.custodians("ann"), 3, 333);
		read(supervisor, ContentScope.custodians("ben"), 2, 500);
		fixture.clock.set(Instant.parse("2025-03-11T08:00:00Z"));
		read(compliance, ContentScope.custodians("cat"), 1, 900);
		read(cat, ContentScope.custodians("ann"), 1, 10);
		fixture.authorize(admin, Operation.ACCESS_ADMIN, ContentScope.NONE);

		fixture.clock.set(Instant.parse("2025-04-01T02:00:00Z"));
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void thePermissionAuditFindsExactlyThePlantedProblems() {
		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "permission-audit", "month=2025-03");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(fixture.jdbc.queryForList("SELECT kind || ' ' || subject || ' ' || severity FROM access_finding "
				+ "WHERE job_name = 'permission-audit' AND period = '2025-03' ORDER BY kind", String.class))
			.containsExactly("abnormal-access principal:comp high", "custodian-without-consent custodian:dex high",
					"dormant-principal principal:old-p medium",
					"grant-beyond-role grant:" + beyondRoleGrant() + " high",
					"leaver-with-live-token token:" + leeToken() + " high");
		Map<String, Object> abnormal = fixture.jdbc
			.queryForMap("SELECT day, observed, detail FROM access_finding WHERE kind = 'abnormal-access'");
		assertThat(abnormal.get("day")).hasToString("2025-03-10");
		assertThat(abnormal).containsEntry("observed", 1200L);
		assertThat((String) abnormal.get("detail")).contains("comp was returned 1200 content records on 2025-03-10");
		Map<String, Object> summary = fixture.jdbc
			.queryForMap("SELECT * FROM access_review_run WHERE job_name = 'permission-audit'");
		assertThat(summary).containsEntry("period", "2025-03")
			.containsEntry("principals_reviewed", 8)
			.containsEntry("custodians_reviewed", 5)
			.containsEntry("privileged_principals", 2)
			.containsEntry("findings_high", 4)
			.containsEntry("findings_medium", 1)
			.containsEntry("access_entries", 19L);
		assertThat(run.out()).contains("5 finding(s)").contains("2 privileged principal(s)");
	}

	@Test
	void theWeeklyAccessReviewReportsAbnormalAccessAlone() {
		// when
		AccessFixture.Cli week11 = fixture.cli(null, "run", "access-review", "week=2025-W11");
		AccessFixture.Cli week12 = fixture.cli(null, "run", "access-review", "week=2025-W12");
		AccessFixture.Cli future = fixture.cli(null, "run", "access-review", "week=2025-W30");

		// then
		assertThat(week11.code()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(week12.code()).isEqualTo(ExitCode.COMPLETED);
		assertThat(fixture.jdbc.queryForList("SELECT period || ' ' || kind || ' ' || subject FROM access_finding "
				+ "WHERE job_name = 'access-review' ORDER BY id", String.class))
			.containsExactly("2025-W11 abnormal-access principal:comp");
		assertThat(fixture.jdbc.queryForList(
				"SELECT period || ' ' || (principals_reviewed IS NULL) || ' ' || "
						+ "findings_high FROM access_review_run WHERE job_name = 'access-review' ORDER BY period",
				String.class))
			.containsExactly("2025-W11 true 1", "2025-W12 true 0");
		assertThat(future.code()).isEqualTo(ExitCode.USAGE);
		assertThat(future.err()).contains("week=2025-W30 has not begun yet");
	}

	private static long beyondRoleGrant() {
		return fixture.jdbc.queryForObject("SELECT id FROM access_grant WHERE beyond_role IS NOT NULL", Long.class);
	}

	private static String leeToken() {
		return fixture.jdbc.queryForObject("SELECT id FROM access_token WHERE principal_id = 'lee-p'", String.class);
	}

	private static void read(String token, ContentScope scope, int reads, long records) {
		for (int i = 0; i < reads; i++) {
			Access access = fixture.authorize(token, Operation.CONTENT_READ, scope);
			fixture.authorization.complete(access, AccessOutcome.success(records, records * 512));
		}
	}

}
