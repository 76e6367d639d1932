package io.chatvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import io.chatvault.message.Sha256;

/**
 * Seals small records (one message of a pack) with AES-256-GCM under their scope's data
 * key: a version byte, a 12-byte nonce, the ciphertext and its 16-byte tag; the record's
 * id is the associated data, so an entry moved to another message's place does not
 * authenticate.
 *
 * <p>
 * The nonce is derived from the key id, the record id and the SHA-256 of the plaintext,
 * so a chunk replayed after a crash produces byte-identical packs (the write-once store
 * keeps the first), and a nonce can only repeat under one key for the very same
 * plaintext, which reveals nothing. One instance holds one cipher: use it from one
 * thread.
 */
public final class RecordCipher {

	/** Bytes a sealed record adds to its plaintext. */
	public static final int OVERHEAD = 1 + 12 + 16;

	private static final byte VERSION = 1;

	private static final byte[] NONCE_LABEL = "chatvault-record-v1".getBytes(StandardCharsets.US_ASCII);

	private final Cipher cipher = StreamingAead.gcm();

	private final MessageDigest sha256;

	public RecordCipher() {
		this.sha256 = Sha256.digest();
	}

	/**
	 * Seals a record.
	 * @param key the scope's data key
	 * @param recordId the record's id (associated data)
	 * @param plaintextSha256 the hex SHA-256 of the plaintext
	 * @param plaintext the record
	 * @return the sealed bytes
	 */
	public byte[] seal(DataKey key, String recordId, String plaintextSha256, byte[] plaintext) {
		this.sha256.update(NONCE_LABEL);
		this.sha256.update(ByteBuffer.allocate(8).putLong(key.id()).array());
		this.sha256.update(recordId.getBytes(StandardCharsets.UTF_8));
		this.sha256.update((byte) 0);
		this.sha256.update(plaintextSha256.getBytes(StandardCharsets.US_ASCII));
		byte[] digest = this.sha256.digest();
		byte[] sealed = new byte[plaintext.length + OVERHEAD];
		sealed[0] = VERSION;
		System.arraycopy(digest, 0, sealed, 1, 12);
		try {
			this.cipher.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(128, sealed, 1, 12));
			this.cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
			StreamingAead.seal(this.cipher, plaintext, 0, plaintext.length, sealed, 13);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot seal record " + recordId, ex);
		}
		return sealed;
	}

	/**
	 * Opens a sealed record.
	 * @param key the scope's data key
	 * @param recordId the record's id
	 * @param sealed the sealed bytes
	 * @return the plaintext
	 * @throws TamperedCiphertextException if it does not authenticate
	 */
	public byte[] open(DataKey key, String recordId, byte[] sealed) throws TamperedCiphertextException {
		if (sealed.length < OVERHEAD || sealed[0] != VERSION) {
			throw new TamperedCiphertextException("record " + recordId + ": not a sealed record (" + sealed.length
					+ " bytes, bad length or version)");
		}
		byte[] plaintext = new byte[sealed.length - OVERHEAD];
		try {
			this.cipher.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(128, sealed, 1, 12));
			this.cipher.updateAAD(recordId.getBytes(StandardCharsets.UTF_8));
			StreamingAead.seal(this.cipher, sealed, 13, sealed.length - 13, plaintext);
			return plaintext;
		}
		catch (AEADBadTagException ex) {
			throw new TamperedCiphertextException("record " + recordId
					+ " failed authentication: altered, moved from another record, or under another key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new TamperedCiphertextException("record " + recordId + ": cannot decrypt", ex);
		}
	}

}
