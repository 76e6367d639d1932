package io.chatvault.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongFunction;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals one block of a vault object (a compressed run of records, a chunk of an original
 * or of media) with AES-256-GCM under a data key, in memory and deterministically: the
 * same key, seed and payload always give the same bytes, so a write replayed after a
 * crash produces the object the write-once store already holds.
 *
 * <p>
 * Layout: a 40-byte header ({@code "CVB"}, version 2, a flags byte, the data key id, the
 * plaintext length, a 16-byte salt and a 7-byte nonce prefix, both taken from the seed),
 * then the payload in segments of 16 KiB, each sealed on its own and followed by its
 * 16-byte tag. The block's AES key is derived from the data key and the salt
 * (HMAC-SHA256), so nonces cannot repeat across blocks under one data key unless the seed
 * does; segment {@code i}'s nonce is the prefix, {@code i} and a last-segment flag. Every
 * segment's associated data is the header followed by a caller-given context (the pack
 * and the block's place in it), so a flipped bit, a truncation, segments swapped or a
 * block moved to another place all fail authentication. Segments keep every JDK cipher
 * call at 16 KiB: Java 17's GCM is many times slower on single large calls.
 *
 * <p>
 * The flags byte and the plaintext length are opaque to the cipher but authenticated: the
 * vault keeps the block's kind and compression there. One instance holds one cipher: use
 * it from one thread.
 */
public final class BlockCipher {

	/** Bytes of the header. */
	public static final int HEADER_LENGTH = 40;

	/** Payload bytes per sealed segment. */
	public static final int SEGMENT_SIZE = 16 * 1024;

	/** Bytes of one segment's tag. */
	public static final int TAG_LENGTH = 16;

	/** How many bytes of a seed are used: the salt and the nonce prefix. */
	public static final int SEED_LENGTH = 16 + 7;

	private static final byte[] MAGIC = { 'C', 'V', 'B' };

	private static final byte VERSION = 2;

	private static final int FLAGS_AT = 4;

	private static final int KEY_AT = 5;

	private static final int LENGTH_AT = 13;

	private static final int SALT_AT = 17;

	private static final int PREFIX_AT = 33;

	private static final byte[] SUBKEY_LABEL = "chatvault-block-v2".getBytes(StandardCharsets.US_ASCII);

	private final Cipher cipher = StreamingAead.gcm();

	private final Mac mac;

	public BlockCipher() {
		try {
			this.mac = Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

	private static final java.util.concurrent.atomic.AtomicBoolean WARMED_UP = new java.util.concurrent.atomic.AtomicBoolean();

	/**
	 * Opens a small block some 20,000 times, once per process, so that the JIT compiles
	 * the decryption path with its intrinsics (AES counter mode, GHASH) before a long run
	 * of reads starts. Java 17 compiles a method fully after some thousands of calls, and
	 * opens one call per 16 KiB segment: a process that starts checking cold decrypts its
	 * first 50 MB or so at 10-15 ns a byte (the intrinsics unused) instead of 0.4, where
	 * 20,000 calls on 64 bytes take 0.1-0.35 s (CryptoPrimitivesBenchmark, and an A/B of
	 * the checksum pass: docs/BENCHMARKS.md). For jobs that read much (the checksum
	 * pass), not for a single read.
	 * @return whether it ran (not when it had run in this process before)
	 */
	public static boolean warmUp() {
		if (!WARMED_UP.compareAndSet(false, true)) {
			return false;
		}
		BlockCipher cipher = new BlockCipher();
		DataKey key = new DataKey(0, "warm-up", new SecretKeySpec(new byte[32], "AES"));
		byte[] context = "warm-up".getBytes(StandardCharsets.US_ASCII);
		byte[] sealed = cipher.seal(key, 0, 64, new byte[64], 64, new byte[SEED_LENGTH], context);
		byte[] into = new byte[64];
		try {
			for (int i = 0; i < 20_000; i++) {
				cipher.open(sealed, 0, sealed.length, (id) -> key, context, "warm-up", into);
			}
		}
		catch (TamperedCiphertextException ex) {
			throw new IllegalStateException("a block sealed here does not open", ex);
		}
		return true;
	}

	/**
	 * The sealed length of a payload.
	 * @param payloadLength bytes to seal
	 * @return header, payload and one tag per segment
	 */
	public static int sealedLength(int payloadLength) {
		int segments = Math.max(1, (payloadLength + SEGMENT_SIZE - 1) / SEGMENT_SIZE);
		return HEADER_LENGTH + payloadLength + segments * TAG_LENGTH;
	}

	/**
	 * Seals a payload.
	 * @param key the data key
	 * @param flags an authenticated byte for the caller (kind, compression)
	 * @param plainLength an authenticated length for the caller (the uncompressed size)
	 * @param payload the bytes to seal
	 * @param payloadLength how many of them
	 * @param seed at least {@link #SEED_LENGTH} bytes that differ for every different
	 * payload under one key (a hash of the payload and its place)
	 * @param context associated data binding the block to its place
	 * @return the sealed block
	 */
	public byte[] seal(DataKey key, int flags, int plainLength, byte[] payload, int payloadLength, byte[] seed,
			byte[] context) {
		if (seed.length < SEED_LENGTH) {
			throw new IllegalArgumentException("seed needs " + SEED_LENGTH + " bytes");
		}
		byte[] sealed = new byte[sealedLength(payloadLength)];
		ByteBuffer.wrap(sealed)
			.put(MAGIC)
			.put(VERSION)
			.put((byte) flags)
			.putLong(key.id())
			.putInt(plainLength)
			.put(seed, 0, SEED_LENGTH);
		SecretKeySpec blockKey = blockKey(key, sealed);
		int in = 0;
		int out = HEADER_LENGTH;
		int segment = 0;
		try {
			do {
				int length = Math.min(SEGMENT_SIZE, payloadLength - in);
				boolean last = in + length == payloadLength;
				initEncrypt(blockKey, nonce(sealed, segment, last));
				this.cipher.updateAAD(sealed, 0, HEADER_LENGTH);
				this.cipher.updateAAD(context);
				out += this.cipher.doFinal(payload, in, length, sealed, out);
				in += length;
				segment++;
			}
			while (in < payloadLength);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot seal a block under data key " + key.id(), ex);
		}
		return sealed;
	}

	/**
	 * Starts encrypting a segment. The JDK refuses to encrypt twice in a row with the
	 * same key and nonce, which a deterministic replay of the same block does by design
	 * (same plaintext, same ciphertext): an init with a throwaway nonce in between lets
	 * it.
	 */
	private void initEncrypt(SecretKeySpec key, byte[] nonce) throws GeneralSecurityException {
		try {
			this.cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
		}
		catch (java.security.InvalidAlgorithmParameterException ex) {
			byte[] throwaway = nonce.clone();
			throwaway[11] ^= 0x55;
			this.cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, throwaway));
			this.cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
		}
	}

	/**
	 * The data key id named in a sealed block's header.
	 * @param sealed the sealed block (at least its header)
	 * @return the key id
	 * @throws TamperedCiphertextException if it is not a sealed block
	 */
	public static long keyId(byte[] sealed) throws TamperedCiphertextException {
		checkHeader(sealed, "block");
		return ByteBuffer.wrap(sealed, KEY_AT, 8).getLong();
	}

	/**
	 * Opens a sealed block.
	 * @param sealed the sealed block
	 * @param keys finds the data key named in the header
	 * @param context the associated data it was sealed with
	 * @param name names the block in error messages
	 * @return the flags, the plaintext length and the payload
	 * @throws TamperedCiphertextException if any segment does not authenticate, or the
	 * block is truncated or not a block
	 */
	public Opened open(byte[] sealed, LongFunction<DataKey> keys, byte[] context, String name)
			throws TamperedCiphertextException {
		return open(sealed, 0, sealed.length, keys, context, name, null);
	}

	/**
	 * Opens a sealed block that lies in a larger array (a pack read whole), into an array
	 * of the caller's when it is large enough.
	 * @param bytes holds the sealed block
	 * @param offset where it starts
	 * @param length its sealed length
	 * @param keys finds the data key named in the header
	 * @param context the associated data it was sealed with
	 * @param name names the block in error messages
	 * @param into where to decrypt the payload, if it is at least as long (then
	 * {@link Opened#payload()} is this array and {@link Opened#payloadLength()} says how
	 * much of it the payload is); {@code null}, or too short: a new array of the
	 * payload's length
	 * @return the flags, the plaintext length and the payload
	 * @throws TamperedCiphertextException if any segment does not authenticate, or the
	 * block is truncated or not a block
	 */
	public Opened open(byte[] bytes, int offset, int length, LongFunction<DataKey> keys, byte[] context, String name,
			byte[] into) throws TamperedCiphertextException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		checkHeader(bytes, offset, length, name);
		ByteBuffer header = ByteBuffer.wrap(bytes);
		int flags = bytes[offset + FLAGS_AT] & 0xFF;
		long keyId = header.getLong(offset + KEY_AT);
		int plainLength = header.getInt(offset + LENGTH_AT);
		DataKey key = keys.apply(keyId);
		if (key == null || key.id() != keyId) {
			throw new TamperedCiphertextException(name + ": header names data key " + keyId + " but another was given");
		}
		int body = length - HEADER_LENGTH;
		int segments = (body + SEGMENT_SIZE + TAG_LENGTH - 1) / (SEGMENT_SIZE + TAG_LENGTH);
		int payloadLength = body - segments * TAG_LENGTH;
		if (segments == 0 || payloadLength < 0 || (payloadLength == 0 && segments > 1)) {
			throw new TamperedCiphertextException(name + ": truncated: " + length + " bytes");
		}
		byte[] payload = (into != null && into.length >= payloadLength) ? into : new byte[payloadLength];
		SecretKeySpec blockKey = blockKey(key, bytes, offset);
		int in = offset + HEADER_LENGTH;
		int end = offset + length;
		int out = 0;
		for (int segment = 0; segment < segments; segment++) {
			int segmentLength = Math.min(SEGMENT_SIZE + TAG_LENGTH, end - in);
			boolean last = segment == segments - 1;
			try {
				this.cipher.init(Cipher.DECRYPT_MODE, blockKey,
						new GCMParameterSpec(128, nonce(bytes, offset, segment, last)));
				this.cipher.updateAAD(bytes, offset, HEADER_LENGTH);
				this.cipher.updateAAD(context);
				out += this.cipher.doFinal(bytes, in, segmentLength, payload, out);
			}
			catch (AEADBadTagException ex) {
				throw new TamperedCiphertextException(name + ": segment " + segment + " of " + segments
						+ " failed authentication: altered, truncated, moved, or under another key", ex);
			}
			catch (GeneralSecurityException ex) {
				throw new TamperedCiphertextException(name + ": segment " + segment + " cannot be decrypted", ex);
			}
			in += segmentLength;
		}
		return new Opened(flags, plainLength, payload, payloadLength);
	}

	private static void checkHeader(byte[] sealed, String name) throws TamperedCiphertextException {
		checkHeader(sealed, 0, sealed.length, name);
	}

	private static void checkHeader(byte[] bytes, int offset, int length, String name)
			throws TamperedCiphertextException {
		if (length < HEADER_LENGTH + TAG_LENGTH) {
			throw new TamperedCiphertextException(name + ": truncated: " + length + " bytes");
		}
		if (!Arrays.equals(bytes, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length)
				|| bytes[offset + MAGIC.length] != VERSION) {
			throw new TamperedCiphertextException(name + ": not a sealed block (bad magic or version)");
		}
	}

	private SecretKeySpec blockKey(DataKey key, byte[] header) {
		return blockKey(key, header, 0);
	}

	private SecretKeySpec blockKey(DataKey key, byte[] header, int offset) {
		try {
			this.mac.init(new SecretKeySpec(key.aesKey().getEncoded(), "HmacSHA256"));
			this.mac.update(SUBKEY_LABEL);
			this.mac.update(header, offset + SALT_AT, 16);
			return new SecretKeySpec(this.mac.doFinal(), "AES");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot derive a block key", ex);
		}
	}

	private static byte[] nonce(byte[] header, int segment, boolean last) {
		return nonce(header, 0, segment, last);
	}

	private static byte[] nonce(byte[] header, int offset, int segment, boolean last) {
		byte[] nonce = new byte[12];
		System.arraycopy(header, offset + PREFIX_AT, nonce, 0, 7);
		nonce[7] = (byte) (segment >>> 24);
		nonce[8] = (byte) (segment >>> 16);
		nonce[9] = (byte) (segment >>> 8);
		nonce[10] = (byte) segment;
		nonce[11] = (byte) (last ? 1 : 0);
		return nonce;
	}

	/**
	 * An opened block.
	 *
	 * @param flags the flags byte it was sealed with
	 * @param plainLength the length it was sealed with
	 * @param payload holds the payload (the whole array, unless the caller gave one to
	 * decrypt into)
	 * @param payloadLength the payload's length: the first bytes of {@code payload}
	 */
	public record Opened(int flags, int plainLength, byte[] payload, int payloadLength) {

		/**
		 * An opened block whose payload is the whole array.
		 * @param flags the flags byte
		 * @param plainLength the plaintext length
		 * @param payload the payload
		 */
		public Opened(int flags, int plainLength, byte[] payload) {
			this(flags, plainLength, payload, payload.length);
		}

	}

}
