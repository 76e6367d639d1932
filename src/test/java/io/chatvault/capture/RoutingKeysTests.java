package io.chatvault.capture;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account keys a WhatsApp Cloud API delivery names: the business number of each
 * change, both as its {@code phone_number_id} and as the number displayed.
 */
class RoutingKeysTests {

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aCloudApiDeliveryNamesItsPhoneNumberIdAndItsDisplayPhoneNumber() {
		assertThat(RoutingKeys.whatsapp(this.json.readTree(WebhookLoad.body("m1"))))
			.containsExactly("whatsapp-number:" + WebhookLoad.PHONE_NUMBER_ID, "whatsapp-number:15550783881");
	}

	@Test
	void aDisplayNumberIsReadAsDigitsAndAChangeWithoutMetadataNamesNothing() {
		String body = """
				{"entry": [{"changes": [
					{"value": {"metadata": {"display_phone_number": "+1 555-078-3881", "phone_number_id": 106540352242922}}},
					{"value": {"metadata": {"display_phone_number": "+44 7700 900123"}}},
					{"value": {"statuses": []}},
					{"value": {"metadata": {"display_phone_number": {"not": "a number"}, "phone_number_id": ""}}}
				]}]}
				""";
		assertThat(RoutingKeys.whatsapp(this.json.readTree(body.getBytes(StandardCharsets.UTF_8)))).containsExactly(
				"whatsapp-number:106540352242922", "whatsapp-number:15550783881", "whatsapp-number:447700900123");
	}

}
