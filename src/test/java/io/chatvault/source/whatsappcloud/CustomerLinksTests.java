package io.chatvault.source.whatsappcloud;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One conversation per Cloud API customer, whichever identifier a delivery carries: the
 * phone number or the business-scoped user id, linked where a delivery names both (in the
 * contacts, as pywa's fixtures do, or on the message). The persisted links hold across
 * runs (a new {@link WebhookBodies} and a new {@link JdbcCustomerLinks} on the same
 * database).
 */
class CustomerLinksTests {

	private static final String PHONE = "972987654321";

	private static final String USER = "US.13491208655302741918";

	private static final String BUSINESS = "1122334455667";

	private static HikariDataSource dataSource;

	@BeforeAll
	static void database() {
		TestDatabase.Coordinates database = TestDatabase.freshDatabase();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database.jdbcUrl());
		dataSource.setUsername(database.user());
		dataSource.setPassword(database.password());
		dataSource.setMaximumPoolSize(2);
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Test
	void phoneThenBothThenUserIdIsOneConversation() {
		// given: a delivery by phone, one naming both in its contacts, one by user id
		// only
		WebhookBodies bodies = new WebhookBodies();

		// when
		List<ChatRecord> records = List.of(one(bodies, message(PHONE, null, null, "m1")),
				one(bodies, message(null, USER, contact(PHONE, USER), "m2")),
				one(bodies, message(null, USER, null, "m3")), one(bodies, status(null, USER, "m1")));

		// then
		assertThat(records).extracting((r) -> r.conversation().id()).containsOnly(BUSINESS + ":" + PHONE);
		assertThat(records.subList(0, 3)).extracting((r) -> r.author().id()).containsOnly(PHONE);
		assertThat(records.get(2).author().displayName()).isEqualTo(PHONE);
		assertThat(records.get(1).author().displayName()).isEqualTo("Test Name");
	}

	@Test
	void userIdFirstKeepsTheUserIdAsTheKey() {
		// given
		WebhookBodies bodies = new WebhookBodies();

		// when
		List<ChatRecord> records = List.of(one(bodies, message(null, USER, null, "m1")),
				one(bodies, message(PHONE, USER, null, "m2")), one(bodies, message(PHONE, null, null, "m3")));

		// then
		assertThat(records).extracting((r) -> r.conversation().id()).containsOnly(BUSINESS + ":" + USER);
	}

	@Test
	void twoKeysKnownApartAreMergedFromTheLinkingDeliveryOn() {
		// given: the customer was seen by phone and by user id before any delivery linked
		// them
		WebhookBodies bodies = new WebhookBodies();
		ChatRecord byPhone = one(bodies, message(PHONE, null, null, "m1"));
		ChatRecord byUser = one(bodies, message(null, USER, null, "m2"));

		// when
		ChatRecord linking = one(bodies, message(PHONE, USER, null, "m3"));
		ChatRecord later = one(bodies, message(null, USER, null, "m4"));

		// then
		assertThat(byUser.conversation().id()).isEqualTo(BUSINESS + ":" + USER);
		assertThat(List.of(byPhone, linking, later)).extracting((r) -> r.conversation().id())
			.containsOnly(BUSINESS + ":" + PHONE);
		assertThat(linking.extra().get("customerMerged")).startsWith(USER + " is the same customer as " + PHONE);
	}

	@Test
	void linksArePersistedForLaterRuns() {
		// given: one run links the customer's identifiers
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
		WebhookBodies first = new WebhookBodies(new JdbcCustomerLinks(jdbc, transactions));
		one(first, message(null, USER, contact(PHONE, USER), "m1"));

		// when: a later run, in a new process, gets deliveries with only one identifier
		WebhookBodies later = new WebhookBodies(new JdbcCustomerLinks(jdbc, transactions));
		ChatRecord byUser = one(later, message(null, USER, null, "m2"));
		ChatRecord byPhone = one(later, message(PHONE, null, null, "m3"));
		ChatRecord status = one(later, status(null, USER, "m3"));

		// then
		assertThat(List.of(byUser, byPhone, status)).extracting((r) -> r.conversation().id())
			.containsOnly(BUSINESS + ":" + PHONE);
		assertThat(jdbc.queryForList("SELECT identifier || '=' || customer_key FROM whatsapp_customer_links "
				+ "WHERE business_id = ? ORDER BY identifier", String.class, BUSINESS))
			.containsExactly(PHONE + "=" + PHONE, USER + "=" + PHONE);
		// and a customer known apart under both identifiers is merged in the store too
		WebhookBodies third = new WebhookBodies(new JdbcCustomerLinks(jdbc, transactions));
		one(third, message("15550001111", null, null, "m4"));
		ChatRecord apart = one(third, message(null, "US.999", null, "m5"));
		ChatRecord merging = one(third, message("15550001111", "US.999", null, "m6"));
		ChatRecord afterwards = one(new WebhookBodies(new JdbcCustomerLinks(jdbc, transactions)),
				message(null, "US.999", null, "m7"));
		assertThat(apart.conversation().id()).isEqualTo(BUSINESS + ":US.999");
		assertThat(merging.extra()).containsKey("customerMerged");
		assertThat(afterwards.conversation().id()).isEqualTo(BUSINESS + ":15550001111");
	}

	private static ChatRecord one(WebhookBodies bodies, String body) {
		List<SourceRecord> records = bodies.read(body.getBytes(StandardCharsets.UTF_8),
				new SourceLocation("inbox", "whatsapp", 1));
		assertThat(records).singleElement().isInstanceOf(ChatRecord.class);
		return (ChatRecord) records.get(0);
	}

	private static String contact(String waId, String userId) {
		return """
				"contacts": [{"profile": {"name": "Test Name"}, "wa_id": "%s", "user_id": "%s"}],""".formatted(waId,
				userId);
	}

	private static String message(String from, String fromUserId, String contacts, String id) {
		String sender = ((from != null) ? "\"from\": \"" + from + "\"," : "")
				+ ((fromUserId != null) ? "\"from_user_id\": \"" + fromUserId + "\"," : "");
		return envelope(((contacts != null) ? contacts : "") + """
				"messages": [{%s "id": "wamid.%s", "timestamp": "1697043223", "type": "text", "text": {"body": "hi"}}]
				""".formatted(sender, id));
	}

	private static String status(String recipient, String recipientUserId, String id) {
		String to = ((recipient != null) ? "\"recipient_id\": \"" + recipient + "\"," : "")
				+ ((recipientUserId != null) ? "\"recipient_user_id\": \"" + recipientUserId + "\"," : "");
		return envelope("""
				"statuses": [{%s "id": "wamid.%s", "status": "read", "timestamp": "1697043300"}]
				""".formatted(to, id));
	}

	private static String envelope(String value) {
		return """
				{"object": "whatsapp_business_account", "entry": [{"id": "1234567890987654321", "changes": [{"field": "messages",
				 "value": {"messaging_product": "whatsapp",
				  "metadata": {"display_phone_number": "972123456789", "phone_number_id": "%s"}, %s}}]}]}
				"""
			.formatted(BUSINESS, value);
	}

}
