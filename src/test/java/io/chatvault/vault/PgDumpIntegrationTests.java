package io.chatvault.vault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.Attachment;
import io.chatvault.message.AttachmentStatus;
import io.chatvault.message.ChatRecord;
import io.chatvault.message.ContentLocator;
import io.chatvault.message.Edit;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.testsupport.PgDump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database never holds message plaintext: a {@code pg_dump} of the whole database
 * after archiving known messages (bodies, edits, rich text, attachments, a quarantined
 * line) contains none of their text, while it does contain their ids.
 */
class PgDumpIntegrationTests {

	@TempDir
	Path directory;

	@Test
	void pgDumpAfterArchivingContainsNoneOfTheText() throws Exception {
		// given
		List<String> secrets = List.of("PLAINTEXT-CANARY-BODY-4711", "PLAINTEXT-CANARY-EDIT-0815",
				"PLAINTEXT-CANARY-HTML-2342", "PLAINTEXT-CANARY-MEDIA-1234", "PLAINTEXT-CANARY-QUARANTINE-999",
				"Quarterly numbers are bad, sell before Friday");
		Path document = this.directory.resolve("minutes.txt");
		Files.writeString(document, secrets.get(3) + " inside an attachment\n".repeat(100));
		List<String> ids = new ArrayList<>();
		try (VaultFixture fixture = new VaultFixture(this.directory)) {
			ChatRecord message = VaultFixture
				.message("deals", "1.1", secrets.get(0) + " " + secrets.get(5),
						new Attachment("minutes.txt", "text/plain", Files.size(document), null,
								AttachmentStatus.PRESENT, null, ContentLocator.file(document)))
				.toBuilder()
				.edit(new Edit(null, secrets.get(1), null))
				.formattedBody("<p>" + secrets.get(2) + "</p>")
				.build();
			List<ArchiveRequest> chunk = List.of(fixture.vault.prepare(message, "alice@example.com"),
					fixture.vault.prepare(VaultFixture.message("deals", "1.2", secrets.get(5)), "alice@example.com"));
			chunk.forEach((request) -> ids.add(request.messageId()));
			fixture.vault.archive(chunk);
			fixture.vault.quarantine(new QuarantinedRecord(new SourceLocation("chat.txt", "", 3),
					"expected a date at the start of the line",
					(secrets.get(4) + " broken line").getBytes(StandardCharsets.UTF_8)), "alice@example.com");

			// when
			String dump = PgDump.of(fixture.database, this.directory);

			// then
			assertThat(dump).contains("vault_message").contains(ids.get(0)).contains(ids.get(1));
			String lowerCaseDump = dump.toLowerCase(java.util.Locale.ROOT);
			for (String secret : secrets) {
				assertThat(dump).doesNotContain(secret);
				// pg_dump writes bytea as hex: plaintext in a bytea column would show so
				assertThat(lowerCaseDump)
					.doesNotContain(java.util.HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8)));
			}
		}
	}

}
