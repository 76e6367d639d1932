package io.chatvault.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.spec.SecretKeySpec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StreamingAeadTests {

	private static final int SEGMENT = 1024;

	private final StreamingAead aead = new StreamingAead(SEGMENT);

	private final DataKey key = key(7, 1);

	@Property(tries = 60)
	void roundTripsAnyLengthAcrossSegmentBoundaries(@ForAll @IntRange(min = 0, max = 5 * SEGMENT + 3) int length,
			@ForAll @IntRange(min = 1, max = 3000) int writeSlice) throws IOException {
		// given
		byte[] plaintext = randomBytes(length, length);

		// when
		ByteArrayOutputStream sealed = new ByteArrayOutputStream();
		try (OutputStream out = this.aead.encrypt(sealed, this.key)) {
			for (int i = 0; i < length; i += writeSlice) {
				out.write(plaintext, i, Math.min(writeSlice, length - i));
			}
		}
		byte[] opened = StreamingAead.decrypt(sealed.toByteArray(), (id) -> this.key, "object");

		// then
		assertThat(opened).isEqualTo(plaintext);
		assertThat(sealed.size()).isEqualTo(this.aead.ciphertextLength(length));
	}

	@Test
	void sameSeedGivesTheSameCiphertextSoReplaysAreIdentical() {
		// given
		byte[] plaintext = randomBytes(3000, 1);
		byte[] seed = randomBytes(StreamingAead.SEED_LENGTH, 2);

		// when
		byte[] first = this.aead.encrypt(plaintext, this.key, seed);
		byte[] second = this.aead.encrypt(plaintext, this.key, seed);

		// then
		assertThat(first).isEqualTo(second);
	}

	@Test
	void flippedBitIsDetectedNamingObjectAndSegment() {
		// given
		byte[] sealed = sealed(3 * SEGMENT);
		sealed[StreamingAead.HEADER_LENGTH + SEGMENT + StreamingAead.TAG_LENGTH + 5] ^= 0x01;

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(sealed, (id) -> this.key, "media/ab/abcd/0"))
			.withMessage("media/ab/abcd/0: segment 1 failed authentication: "
					+ "altered, reordered, truncated, or encrypted under another key");
	}

	@Test
	void flippedHeaderBitIsDetected() {
		// given
		byte[] sealed = sealed(100);
		sealed[StreamingAead.HEADER_LENGTH - 1] ^= 0x40;

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(sealed, (id) -> this.key, "object"))
			.withMessageContaining("segment 0 failed authentication");
	}

	@Test
	void truncationAtASegmentBoundaryIsDetected() {
		// given
		byte[] sealed = sealed(3 * SEGMENT + 10);
		byte[] truncated = Arrays.copyOf(sealed, StreamingAead.HEADER_LENGTH + 2 * (SEGMENT + 16));

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(truncated, (id) -> this.key, "object"))
			.withMessage("object: truncated: the object ends after segment 1, which is not its last segment");
	}

	@Test
	void truncationInsideASegmentIsDetected() {
		// given
		byte[] sealed = sealed(3 * SEGMENT + 10);
		byte[] truncated = Arrays.copyOf(sealed, sealed.length - 5);

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(truncated, (id) -> this.key, "object"))
			.withMessageContaining("segment 3 failed authentication");
	}

	@Test
	void truncatedHeaderIsDetected() {
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(Arrays.copyOf(sealed(10), 12), (id) -> this.key, "object"))
			.withMessage("object: truncated: 12 bytes, shorter than the encryption header");
	}

	@Test
	void swappedSegmentsAreDetected() {
		// given
		byte[] sealed = sealed(3 * SEGMENT + 10);
		int block = SEGMENT + StreamingAead.TAG_LENGTH;
		int first = StreamingAead.HEADER_LENGTH;
		byte[] swapped = sealed.clone();
		System.arraycopy(sealed, first + block, swapped, first, block);
		System.arraycopy(sealed, first, swapped, first + block, block);

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(swapped, (id) -> this.key, "object"))
			.withMessageContaining("segment 0 failed authentication");
	}

	@Test
	void segmentsAreNotReleasedBeforeTheyAuthenticate() throws IOException {
		// given
		byte[] plaintext = randomBytes(3 * SEGMENT, 3);
		byte[] sealed = this.aead.encrypt(plaintext, this.key, randomBytes(StreamingAead.SEED_LENGTH, 4));
		sealed[sealed.length - 1] ^= 1;

		// when
		ByteArrayOutputStream released = new ByteArrayOutputStream();
		try (InputStream in = StreamingAead.decrypt(new java.io.ByteArrayInputStream(sealed), (id) -> this.key,
				"object")) {
			in.transferTo(released);
		}
		catch (TamperedCiphertextException expected) {
			// the last segment is the altered one
		}

		// then
		assertThat(released.toByteArray()).isEqualTo(Arrays.copyOf(plaintext, 2 * SEGMENT));
	}

	@Test
	void anotherKeyDoesNotDecrypt() {
		// given
		byte[] sealed = sealed(10);
		DataKey other = key(7, 2);

		// when / then
		assertThatExceptionOfType(TamperedCiphertextException.class)
			.isThrownBy(() -> StreamingAead.decrypt(sealed, (id) -> other, "object"))
			.withMessageContaining("encrypted under another key");
	}

	private byte[] sealed(int length) {
		return this.aead.encrypt(randomBytes(length, 9), this.key, randomBytes(StreamingAead.SEED_LENGTH, 10));
	}

	static DataKey key(long id, int seed) {
		return new DataKey(id, "test", new SecretKeySpec(randomBytes(32, seed), "AES"));
	}

	static byte[] randomBytes(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

}
