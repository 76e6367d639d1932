package io.chatvault.crypto;

import java.security.MessageDigest;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * What the checksum pass's per-byte work costs on this machine's JVM, one thread: SHA-256,
 * HmacSHA256, AES-GCM decryption in 16 KiB calls (the block format's segments) and a
 * copy, over 8 MB a round, in ns a byte, round by round from a cold start (the first
 * rounds show the JIT compiling; GCM's show how long its intrinsics take to be used). With
 * {@code bench.warm-up=true} the rounds follow {@link BlockCipher#warmUp}. Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=CryptoPrimitivesBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.warm-up=true]
 * </pre>
 */
class CryptoPrimitivesBenchmark {

	static final int ROUNDS = Integer.getInteger("bench.rounds", 12);

	static final boolean WARM_UP = Boolean.getBoolean("bench.warm-up");

	@Test
	void primitives() throws Exception {
		byte[] buffer = new byte[8 << 20];
		new SplittableRandom(1).nextBytes(buffer);
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		Mac hmac = Mac.getInstance("HmacSHA256");
		hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
		SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
		int segment = BlockCipher.SEGMENT_SIZE;
		int segments = buffer.length / (segment + BlockCipher.TAG_LENGTH);
		byte[] sealed = new byte[segments * (segment + BlockCipher.TAG_LENGTH)];
		Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
		for (int i = 0; i < segments; i++) {
			encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(i)));
			encrypt.doFinal(buffer, i * segment, segment, sealed, i * (segment + BlockCipher.TAG_LENGTH));
		}
		if (WARM_UP) {
			long start = System.nanoTime();
			BlockCipher.warmUp();
			System.out.printf("BlockCipher.warmUp: %.1f ms%n", (System.nanoTime() - start) / 1e6);
		}
		Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
		byte[] out = new byte[buffer.length];
		double bytes = buffer.length;
		for (int round = 0; round < ROUNDS; round++) {
			long t0 = System.nanoTime();
			sha256.update(buffer);
			sha256.digest();
			long t1 = System.nanoTime();
			hmac.update(buffer);
			hmac.doFinal();
			long t2 = System.nanoTime();
			for (int i = 0; i < segments; i++) {
				decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(i)));
				decrypt.doFinal(sealed, i * (segment + BlockCipher.TAG_LENGTH), segment + BlockCipher.TAG_LENGTH, out,
						i * segment);
			}
			long t3 = System.nanoTime();
			System.arraycopy(buffer, 0, out, 0, buffer.length);
			long t4 = System.nanoTime();
			System.out.printf("round %2d: SHA-256 %.2f, HmacSHA256 %.2f, AES-GCM 16 KiB %.2f, copy %.2f ns a byte%n",
					round, (t1 - t0) / bytes, (t2 - t1) / bytes, (t3 - t2) / ((double) segments * segment),
					(t4 - t3) / bytes);
		}
	}

	private static byte[] nonce(int i) {
		byte[] nonce = new byte[12];
		nonce[10] = (byte) (i >>> 8);
		nonce[11] = (byte) i;
		return nonce;
	}

}
