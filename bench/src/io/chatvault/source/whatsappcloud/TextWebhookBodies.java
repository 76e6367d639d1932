package io.chatvault.source.whatsappcloud;

import java.nio.charset.StandardCharsets;

/**
 * Cloud API webhook bodies as the benchmarks send them: one incoming text message each, in
 * the shape of Meta's documented payload.
 */
public final class TextWebhookBodies {

	private TextWebhookBodies() {
	}

	/**
	 * A webhook body holding one incoming text message.
	 * @param wamid the message's id
	 * @param from the customer's WhatsApp id
	 * @param sentAt when it was sent, in epoch seconds
	 * @param text its body (no characters that need JSON escaping)
	 * @return the body's bytes
	 */
	public static byte[] textMessage(String wamid, String from, long sentAt, String text) {
		return ("""
				{"object":"whatsapp_business_account","entry":[{"id":"1234567890987654321","changes":[{"value":\
				{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"1122334455667"},\
				"contacts":[{"profile":{"name":"Customer %s"},"wa_id":"%s"}],"messages":[{"from":"%s","id":"%s",\
				"timestamp":"%d","text":{"body":"%s"},"type":"text"}]},"field":"messages"}]}]}"""
			.formatted(from, from, from, wamid, sentAt, text))
			.getBytes(StandardCharsets.UTF_8);
	}

}
