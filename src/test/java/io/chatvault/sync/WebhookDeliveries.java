package io.chatvault.sync;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * WhatsApp Business Cloud API webhook bodies as Meta posts them for an incoming text
 * message (the shape of the documented "messages" webhook and of the pywa fixtures), with
 * chosen ids and times: what the capture server stores in the inbox.
 */
public final class WebhookDeliveries {

	public static final String PHONE_NUMBER_ID = "1122334455667";

	public static final String DISPLAY_NUMBER = "15550783881";

	private WebhookDeliveries() {
	}

	/**
	 * An incoming text message's webhook body.
	 * @param wamid the message's id
	 * @param from the customer's WhatsApp id
	 * @param sentAt when it was sent (whole seconds go into the body)
	 * @param text its body (no characters that need JSON escaping)
	 * @return the body's bytes
	 */
	public static byte[] text(String wamid, String from, Instant sentAt, String text) {
		return ("""
				{"object":"whatsapp_business_account","entry":[{"id":"1234567890987654321","changes":[{"value":\
				{"messaging_product":"whatsapp","metadata":{"display_phone_number":"%s","phone_number_id":"%s"},\
				"contacts":[{"profile":{"name":"Customer %s"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s",\
				"timestamp":"%d","text":{"body":"%s"},"type":"text"}]},"field":"messages"}]}]}"""
			.formatted(DISPLAY_NUMBER, PHONE_NUMBER_ID, from, from, from, wamid, sentAt.getEpochSecond(), text))
			.getBytes(StandardCharsets.UTF_8);
	}

}
