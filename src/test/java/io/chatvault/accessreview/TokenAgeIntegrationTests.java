package io.chatvault.accessreview;

import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.access.AccessFixture;
import io.chatvault.access.ContentScope;
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
 * A live token older than the maximum lifetime (created before the maximum was lowered)
 * is a permission-audit finding, even while it is in use.
 */
class TokenAgeIntegrationTests {

	@TempDir
	static Path home;

	static AccessFixture fixture;

	@BeforeAll
	static void start() {
		fixture = AccessFixture.start(home, "chatvault.access.token.max-lifetime=30d");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aLiveTokenPastTheMaximumAgeIsReported() {
		// given a token that lives 30 days, created 40 days ago under a longer maximum
		String token = fixture.principal("pat", Optional.empty(), Role.AUDITOR, GrantScope.NONE);
		String id = token.substring(4, 16);
		fixture.jdbc.update("UPDATE access_token SET created_at = created_at - interval '40 days', "
				+ "expires_at = expires_at + interval '30 days' WHERE id = ?", id);
		fixture.authorize(token, Operation.AUDIT_READ, ContentScope.NONE);

		// when
		AccessFixture.Cli run = fixture.cli(null, "run", "permission-audit", "month=2025-03");

		// then
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.COMPLETED_WITH_FINDINGS);
		assertThat(fixture.jdbc.queryForList("SELECT kind || ' ' || subject || ' ' || severity FROM access_finding",
				String.class))
			.containsExactly("token-past-max-age token:" + id + " medium");
	}

}
