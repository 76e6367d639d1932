package io.chatvault.custodian;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Account keys ({@code <kind>:<id>}) read back into accounts, the one parser the inbox
 * implementations share.
 */
class PlatformAccountTests {

	@Test
	void everyKindsKeyIsParsedBackIntoItsAccount() {
		for (AccountKind kind : AccountKind.values()) {
			PlatformAccount account = PlatformAccount.of(kind, "19:abc@thread.v2/1065");
			assertThat(PlatformAccount.parse(account.key())).isEqualTo(account);
		}
		assertThat(PlatformAccount.parse("teams-chat:19:2da4c29f@thread.v2"))
			.isEqualTo(new PlatformAccount(AccountKind.TEAMS_CHAT, "19:2da4c29f@thread.v2"));
		assertThat(PlatformAccount.parse("whatsapp-number:972123456789"))
			.isEqualTo(PlatformAccount.of(AccountKind.WHATSAPP_NUMBER, "+972 12-345-6789"));
	}

	@Test
	void aKeyWithoutAKnownKindOrAnIdIsRefused() {
		for (String key : new String[] { "fax:0123", "WHATSAPP_NUMBER:1", "slack-user", ":U0123", "slack-user:" }) {
			assertThatIllegalArgumentException().as(key).isThrownBy(() -> PlatformAccount.parse(key));
		}
	}

}
