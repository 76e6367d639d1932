package io.chatvault.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongFunction;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Segmented streaming AEAD, in the manner of Tink's AES-GCM-HKDF streaming AEAD and age's
 * STREAM: the plaintext is cut into fixed-size segments, each sealed with AES-256-GCM
 * under its own nonce, so memory stays flat for any object size and every segment is
 * authenticated on its own.
 *
 * <p>
 * Layout: a 40-byte header ({@code "CVSA"}, version 1, segment size, data key id, a
 * 16-byte salt, a 7-byte nonce prefix), then the segments, each its ciphertext followed
 * by a 16-byte tag. Each object gets its own AES key, derived from the data key and the
 * salt (HMAC-SHA256), so nonces never repeat across objects under one data key. Segment
 * {@code i}'s nonce is the prefix, {@code i} as 4 big-endian bytes, and a byte that is 1
 * for the last segment only; the header is the associated data of every segment. So a
 * flipped bit, segments swapped or taken from another object, and a truncation (even at a
 * segment boundary, since the remaining last segment was not sealed as last) all fail
 * authentication with an error that names the object and the segment.
 *
 * <p>
 * Bulk encryption uses the JDK's cipher, fed in slices of at most 16 KiB: on Java 17 its
 * GCM is several times faster for calls of that size than for single large calls.
 */
public final class StreamingAead {

	/** Plaintext bytes per segment, so that every cipher call stays at 16 KiB. */
	public static final int DEFAULT_SEGMENT_SIZE = 16 * 1024;

	static final int HEADER_LENGTH = 40;

	static final int TAG_LENGTH = 16;

	private static final byte[] MAGIC = "CVSA".getBytes(StandardCharsets.US_ASCII);

	private static final byte VERSION = 1;

	private static final int SALT_LENGTH = 16;

	private static final int PREFIX_LENGTH = 7;

	/** How many bytes of a nonce seed are used (salt and nonce prefix). */
	public static final int SEED_LENGTH = SALT_LENGTH + PREFIX_LENGTH;

	private static final int SLICE = 16 * 1024;

	private static final byte[] SUBKEY_LABEL = "chatvault-stream-v1".getBytes(StandardCharsets.US_ASCII);

	private final int segmentSize;

	private final SecureRandom random = new SecureRandom();

	public StreamingAead() {
		this(DEFAULT_SEGMENT_SIZE);
	}

	public StreamingAead(int segmentSize) {
		if (segmentSize < 16 || segmentSize > 16 * 1024 * 1024) {
			throw new IllegalArgumentException("segment size out of range: " + segmentSize);
		}
		this.segmentSize = segmentSize;
	}

	/**
	 * The ciphertext length of a plaintext of the given length.
	 * @param plaintextLength the plaintext length
	 * @return the length of what {@link #encrypt} writes
	 */
	public long ciphertextLength(long plaintextLength) {
		long segments = Math.max(1, (plaintextLength + this.segmentSize - 1) / this.segmentSize);
		return HEADER_LENGTH + plaintextLength + segments * TAG_LENGTH;
	}

	/**
	 * Starts encrypting with a random salt and nonce prefix.
	 * @param out where the ciphertext goes; closed when the returned stream is closed
	 * @param key the data key
	 * @return a stream to write the plaintext to; closing it writes the last segment
	 */
	public OutputStream encrypt(OutputStream out, DataKey key) {
		byte[] seed = new byte[SEED_LENGTH];
		this.random.nextBytes(seed);
		return encrypt(out, key, seed);
	}

	/**
	 * Starts encrypting with a salt and nonce prefix taken from {@code seed}. A seed
	 * derived from the content's identity makes a replayed write byte-identical to the
	 * first; the seed must then never be reused for different content under one key.
	 * @param out where the ciphertext goes; closed when the returned stream is closed
	 * @param key the data key
	 * @param seed at least {@link #SEED_LENGTH} bytes
	 * @return a stream to write the plaintext to; closing it writes the last segment
	 */
	public OutputStream encrypt(OutputStream out, DataKey key, byte[] seed) {
		if (seed.length < SEED_LENGTH) {
			throw new IllegalArgumentException("seed needs " + SEED_LENGTH + " bytes");
		}
		ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
		header.put(MAGIC).put(VERSION).putInt(this.segmentSize).putLong(key.id()).put(seed, 0, SEED_LENGTH);
		return new EncryptingStream(out, header.array(), key, this.segmentSize);
	}

	/**
	 * Encrypts a whole plaintext held in memory.
	 * @param plaintext the plaintext
	 * @param key the data key
	 * @param seed the nonce seed (see {@link #encrypt(OutputStream, DataKey, byte[])})
	 * @return the ciphertext
	 */
	public byte[] encrypt(byte[] plaintext, DataKey key, byte[] seed) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) ciphertextLength(plaintext.length));
		try (OutputStream out = encrypt(bytes, key, seed)) {
			out.write(plaintext);
		}
		catch (IOException ex) {
			throw new IllegalStateException("in-memory streams do not fail", ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Starts decrypting. Reading fails with {@link TamperedCiphertextException} at the
	 * first segment that does not authenticate, before any of its plaintext is returned.
	 * @param in the ciphertext; closed when the returned stream is closed
	 * @param keys finds the data key named in the header
	 * @param objectName names the object in error messages
	 * @return the plaintext stream
	 * @throws TamperedCiphertextException if the header is truncated or not ours
	 * @throws IOException if reading fails
	 */
	public static InputStream decrypt(InputStream in, LongFunction<DataKey> keys, String objectName)
			throws IOException {
		byte[] header = in.readNBytes(HEADER_LENGTH);
		if (header.length < HEADER_LENGTH) {
			throw new TamperedCiphertextException(
					objectName + ": truncated: " + header.length + " bytes, shorter than the encryption header");
		}
		ByteBuffer buffer = ByteBuffer.wrap(header);
		byte[] magic = new byte[MAGIC.length];
		buffer.get(magic);
		byte version = buffer.get();
		if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
			throw new TamperedCiphertextException(objectName + ": not a ChatVault ciphertext (bad magic or version)");
		}
		int segmentSize = buffer.getInt();
		if (segmentSize < 16 || segmentSize > 16 * 1024 * 1024) {
			throw new TamperedCiphertextException(objectName + ": bad segment size " + segmentSize + " in header");
		}
		long keyId = buffer.getLong();
		DataKey key = Objects.requireNonNull(keys.apply(keyId), "key");
		if (key.id() != keyId) {
			throw new TamperedCiphertextException(
					objectName + ": header names data key " + keyId + " but key " + key.id() + " was given");
		}
		return new DecryptingStream(in, header, key, segmentSize, objectName);
	}

	/**
	 * Decrypts a whole ciphertext held in memory.
	 * @param ciphertext the ciphertext
	 * @param keys finds the data key named in the header
	 * @param objectName names the object in error messages
	 * @return the plaintext
	 * @throws TamperedCiphertextException if it does not authenticate
	 */
	public static byte[] decrypt(byte[] ciphertext, LongFunction<DataKey> keys, String objectName)
			throws TamperedCiphertextException {
		try (InputStream in = decrypt(new ByteArrayInputStream(ciphertext), keys, objectName)) {
			return in.readAllBytes();
		}
		catch (TamperedCiphertextException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw new IllegalStateException("in-memory streams do not fail", ex);
		}
	}

	static SecretKeySpec objectKey(DataKey key, byte[] header) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key.aesKey().getEncoded(), "HmacSHA256"));
			mac.update(SUBKEY_LABEL);
			mac.update(header, MAGIC.length + 1 + 4 + 8, SALT_LENGTH);
			return new SecretKeySpec(mac.doFinal(), "AES");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

	static byte[] nonce(byte[] header, int segment, boolean last) {
		byte[] nonce = new byte[12];
		System.arraycopy(header, HEADER_LENGTH - PREFIX_LENGTH, nonce, 0, PREFIX_LENGTH);
		nonce[7] = (byte) (segment >>> 24);
		nonce[8] = (byte) (segment >>> 16);
		nonce[9] = (byte) (segment >>> 8);
		nonce[10] = (byte) segment;
		nonce[11] = (byte) (last ? 1 : 0);
		return nonce;
	}

	static Cipher gcm() {
		try {
			return Cipher.getInstance("AES/GCM/NoPadding");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES/GCM is required by every Java platform", ex);
		}
	}

	/**
	 * Runs one GCM operation over {@code length} bytes in slices, returning the output
	 * length.
	 */
	static int seal(Cipher cipher, byte[] in, int offset, int length, byte[] out) throws GeneralSecurityException {
		return seal(cipher, in, offset, length, out, 0);
	}

	static int seal(Cipher cipher, byte[] in, int offset, int length, byte[] out, int outOffset)
			throws GeneralSecurityException {
		int written = outOffset;
		int position = offset;
		int end = offset + length;
		while (end - position > SLICE) {
			written += cipher.update(in, position, SLICE, out, written);
			position += SLICE;
		}
		written += cipher.doFinal(in, position, end - position, out, written);
		return written - outOffset;
	}

	private static final class EncryptingStream extends OutputStream {

		private final OutputStream out;

		private final byte[] header;

		private final SecretKeySpec objectKey;

		private final Cipher cipher = gcm();

		private final byte[] plain;

		private final byte[] sealed;

		private int position;

		private int segment;

		private boolean closed;

		EncryptingStream(OutputStream out, byte[] header, DataKey key, int segmentSize) {
			this.out = out;
			this.header = header;
			this.objectKey = objectKey(key, header);
			this.plain = new byte[segmentSize];
			this.sealed = new byte[segmentSize + TAG_LENGTH];
		}

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			Objects.checkFromIndexSize(off, len, b.length);
			while (len > 0) {
				if (this.position == this.plain.length) {
					// Only a segment followed by more data is sealed as not-last.
					seal(false);
				}
				int n = Math.min(len, this.plain.length - this.position);
				System.arraycopy(b, off, this.plain, this.position, n);
				this.position += n;
				off += n;
				len -= n;
			}
		}

		private boolean started;

		private void start() throws IOException {
			if (!this.started) {
				this.out.write(this.header);
				this.started = true;
			}
		}

		private void seal(boolean last) throws IOException {
			start();
			try {
				this.cipher.init(Cipher.ENCRYPT_MODE, this.objectKey,
						new GCMParameterSpec(TAG_LENGTH * 8, nonce(this.header, this.segment, last)));
				this.cipher.updateAAD(this.header);
				int n = StreamingAead.seal(this.cipher, this.plain, 0, this.position, this.sealed);
				this.out.write(this.sealed, 0, n);
			}
			catch (GeneralSecurityException ex) {
				throw new IOException("Cannot encrypt segment " + this.segment, ex);
			}
			this.segment++;
			this.position = 0;
		}

		@Override
		public void flush() throws IOException {
			this.out.flush();
		}

		@Override
		public void close() throws IOException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			try {
				seal(true);
			}
			finally {
				this.out.close();
			}
		}

	}

	private static final class DecryptingStream extends InputStream {

		private final InputStream in;

		private final byte[] header;

		private final SecretKeySpec objectKey;

		private final String objectName;

		private final Cipher cipher = gcm();

		private final byte[] sealed;

		private final byte[] plain;

		private int plainLength;

		private int plainPosition;

		private int segment;

		private int lookahead = -2;

		private boolean finished;

		DecryptingStream(InputStream in, byte[] header, DataKey key, int segmentSize, String objectName) {
			this.in = in;
			this.header = header;
			this.objectKey = objectKey(key, header);
			this.objectName = objectName;
			this.sealed = new byte[segmentSize + TAG_LENGTH];
			this.plain = new byte[segmentSize + TAG_LENGTH];
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n == -1) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			Objects.checkFromIndexSize(off, len, b.length);
			if (len == 0) {
				return 0;
			}
			while (this.plainPosition == this.plainLength) {
				if (this.finished) {
					return -1;
				}
				nextSegment();
			}
			int n = Math.min(len, this.plainLength - this.plainPosition);
			System.arraycopy(this.plain, this.plainPosition, b, off, n);
			this.plainPosition += n;
			return n;
		}

		private void nextSegment() throws IOException {
			int filled = 0;
			if (this.lookahead >= 0) {
				this.sealed[filled++] = (byte) this.lookahead;
			}
			filled += this.in.readNBytes(this.sealed, filled, this.sealed.length - filled);
			// One byte of lookahead tells whether this is the last segment.
			this.lookahead = (filled == this.sealed.length) ? this.in.read() : -1;
			boolean last = this.lookahead == -1;
			if (filled < TAG_LENGTH) {
				throw new TamperedCiphertextException(this.objectName + ": truncated: segment " + this.segment + " has "
						+ filled + " bytes, fewer than its authentication tag");
			}
			try {
				this.plainLength = open(filled, last);
			}
			catch (AEADBadTagException ex) {
				if (last && sealedAs(filled, false)) {
					throw new TamperedCiphertextException(
							this.objectName + ": truncated: the object ends after segment " + this.segment
									+ ", which is not its last segment",
							ex);
				}
				throw new TamperedCiphertextException(this.objectName + ": segment " + this.segment
						+ " failed authentication: altered, reordered, truncated, or encrypted under another key", ex);
			}
			catch (GeneralSecurityException ex) {
				throw new TamperedCiphertextException(this.objectName + ": cannot decrypt segment " + this.segment, ex);
			}
			this.plainPosition = 0;
			this.segment++;
			this.finished = last;
		}

		private int open(int length, boolean last) throws GeneralSecurityException {
			this.cipher.init(Cipher.DECRYPT_MODE, this.objectKey,
					new GCMParameterSpec(TAG_LENGTH * 8, nonce(this.header, this.segment, last)));
			this.cipher.updateAAD(this.header);
			return seal(this.cipher, this.sealed, 0, length, this.plain);
		}

		private boolean sealedAs(int length, boolean last) {
			try {
				open(length, last);
				return true;
			}
			catch (GeneralSecurityException ex) {
				return false;
			}
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

}
