package io.chatvault.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.message.Sha256;

import org.springframework.stereotype.Service;

/**
 * The exact source bytes of archived messages, for {@code chatvault source}: the raw
 * WhatsApp lines or the raw Slack or Teams JSON, byte for byte as in the export, read
 * from the stored original and verified chunk by chunk. Every read of content is recorded
 * in the audit log ({@code content.read}) before any byte is released.
 */
@Service
public class MessageSources {

	private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-fA-F]{64}");

	private final VaultReader reader;

	private final AuditLog audit;

	MessageSources(VaultReader reader, AuditLog audit) {
		this.reader = reader;
		this.audit = audit;
	}

	/**
	 * Finds a message's source fragment.
	 * @param messageId the message's hex id
	 * @return the fragment
	 * @throws IllegalArgumentException if the id is not 64 hex digits
	 * @throws NoSuchElementException if no such message is archived, or its source file
	 * is not stored
	 */
	public VaultReader.SourceFragment fragment(String messageId) {
		if (!MESSAGE_ID.matcher(messageId).matches()) {
			throw new IllegalArgumentException("a message id is 64 hex digits, not '" + messageId + "'");
		}
		String id = messageId.toLowerCase(java.util.Locale.ROOT);
		if (this.reader.record(id).isEmpty()) {
			throw new NoSuchElementException("no archived message " + id);
		}
		return this.reader.source(id)
			.orElseThrow(() -> new NoSuchElementException("the source of message " + id + " is not stored (it was "
					+ "not read from a received export, or its export's files are not stored yet)"));
	}

	/**
	 * Writes a fragment's bytes, after recording the read in the audit log.
	 * @param fragment the fragment
	 * @param actor who reads ({@link #operator()} for the command line)
	 * @param out where the bytes go
	 * @return the SHA-256 of the bytes written
	 * @throws VaultIntegrityException if the stored bytes do not check out
	 */
	public String write(VaultReader.SourceFragment fragment, String actor, OutputStream out) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("what", "source fragment");
		details.put("file", fragment.fileSha256());
		details.put("offset", fragment.offset());
		details.put("length", fragment.length());
		this.audit.append(AuditEvent.of(actor, "content.read", "message:" + fragment.messageId(), details));
		MessageDigest digest = Sha256.digest();
		try (InputStream in = this.reader.openSource(fragment)) {
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				digest.update(buffer, 0, n);
				out.write(buffer, 0, n);
			}
			out.flush();
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof VaultIntegrityException integrity) {
				throw integrity;
			}
			throw new UncheckedIOException(ex);
		}
		return Sha256.hexOf(digest);
	}

	/**
	 * The actor of an operator command run without a token: {@code os:<user>@<host>}.
	 * @return the actor
	 */
	public static String operator() {
		return io.chatvault.audit.AuditActors.operator();
	}

}
