package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalRecordsTests {

	private final CanonicalRecords canonical = new CanonicalRecords();

	@Test
	void canonicalJsonIsSortedUsesIsoInstantsAndLeavesOutTheContentLocator() {
		// given
		ChatRecord record = VaultFixture
			.message("c1", "1.5", "hello",
					new Attachment("a.jpg", "image/jpeg", 3, "ab".repeat(32), AttachmentStatus.PRESENT, null,
							ContentLocator.file(Path.of("/import/machine/a.jpg"))))
			.toBuilder()
			.extra("zeta", "last")
			.extra("alpha", "first")
			.build();

		// when
		String json = new String(this.canonical.canonical(record), StandardCharsets.UTF_8);

		// then
		assertThat(json).startsWith("{\"attachments\":[{\"mediaType\":\"image/jpeg\",\"name\":\"a.jpg\"")
			.contains("\"sentAt\":\"2024-03-01T10:15:30Z\"")
			.contains("\"extra\":{\"alpha\":\"first\",\"client_msg_id\":\"c-1.5\",\"zeta\":\"last\"}")
			.doesNotContain("/import/machine")
			.doesNotContain("content");
	}

	@Property(tries = 50)
	void sameRecordSameBytesWhateverTheOrderOfExtras(@ForAll String key1, @ForAll String key2, @ForAll String body) {
		// given
		ChatRecord base = VaultFixture.message("c", "1", body);
		ChatRecord one = base.toBuilder().extra("k" + key1, "1").extra("j" + key2, "2").build();
		ChatRecord two = base.toBuilder().extra("j" + key2, "2").extra("k" + key1, "1").build();

		// when / then
		assertThat(this.canonical.canonical(one)).isEqualTo(this.canonical.canonical(two));
		assertThat(Instant.parse("2024-03-01T10:15:30Z")).isEqualTo(one.sentAt());
	}

}
