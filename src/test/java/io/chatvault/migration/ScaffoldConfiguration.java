package io.chatvault.migration;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Conversation;
import io.chatvault.message.ConversationType;
import io.chatvault.message.MessageIdentity;
import io.chatvault.message.Participant;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.RecordKind;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourcePlatform;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.ChatSource;
import io.chatvault.source.SourceDescription;
import io.chatvault.source.SourceFormat;
import io.chatvault.source.SourceOptions;
import io.chatvault.source.SourceReader;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.ArchiveSummary;
import io.chatvault.vault.Vault;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** TEMPORARY until the real vault and sources land. */
@TestConfiguration
class ScaffoldConfiguration {

	@Bean
	Vault vault() {
		return new MapVault();
	}

	@Bean
	ChatSource linesSource() {
		return new LinesSource();
	}

	static class MapVault implements Vault {

		final Map<String, byte[]> archive = new ConcurrentHashMap<>();

		final Map<String, QuarantinedRecord> quarantine = new ConcurrentHashMap<>();

		@Override
		public ArchiveRequest prepare(ChatRecord record, String custodian) {
			byte[] canonical = (record.sentAt() + "|" + record.author().id() + "|" + record.body())
				.getBytes(StandardCharsets.UTF_8);
			try {
				return new ArchiveRequest(MessageIdentity.of(record), custodian, record, canonical,
						HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public ArchiveSummary archive(List<ArchiveRequest> requests) {
			int archived = 0;
			for (ArchiveRequest r : requests) {
				if (this.archive.putIfAbsent(r.messageId(), r.canonical()) == null) {
					archived++;
				}
			}
			return new ArchiveSummary(archived, requests.size() - archived, 0);
		}

		@Override
		public boolean quarantine(QuarantinedRecord record, String custodian) {
			return this.quarantine.putIfAbsent(record.origin().toString(), record) == null;
		}

		@Override
		public byte[] readCanonical(String messageId) {
			return this.archive.get(messageId);
		}

	}

	static class LinesSource implements ChatSource {

		@Override
		public SourceFormat format() {
			return SourceFormat.WHATSAPP;
		}

		@Override
		public boolean accepts(Path input) {
			return input.toString().endsWith(".lines");
		}

		@Override
		public SourceReader open(Path input, SourceOptions options) throws IOException {
			BufferedReader reader = Files.newBufferedReader(input);
			Conversation conversation = new Conversation(input.getFileName().toString(), ConversationType.GROUP, "",
					List.of());
			return new SourceReader() {
				long line;

				String next = reader.readLine();

				@Override
				public boolean hasNext() {
					return this.next != null;
				}

				@Override
				public SourceRecord next() {
					String text = this.next;
					this.line++;
					try {
						this.next = reader.readLine();
					}
					catch (IOException ex) {
						throw new java.io.UncheckedIOException(ex);
					}
					SourceLocation origin = new SourceLocation(input.toString(), "", this.line);
					String[] parts = text.split("\\|", 3);
					if (parts.length != 3) {
						return new QuarantinedRecord(origin, "expected time|author|body",
								text.getBytes(StandardCharsets.UTF_8));
					}
					return ChatRecord
						.builder(SourcePlatform.WHATSAPP_EXPORT, conversation, RecordKind.MESSAGE,
								Instant.ofEpochSecond(Long.parseLong(parts[0])), origin)
						.author(Participant.named(parts[1]))
						.body(parts[2])
						.build();
				}

				@Override
				public SourceDescription description() {
					return new SourceDescription(SourceFormat.WHATSAPP, null, List.of());
				}

				@Override
				public void close() throws IOException {
					reader.close();
				}
			};
		}

	}

}
